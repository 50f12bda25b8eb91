using System.CommandLine;
using DgTools.Configuration;
using DgTools.Decoding;
using DgTools.Model;
using DgTools.Runtime;
using DgTools.Server;

namespace DgTools.Cli.Commands;

public static class ServeCommand
{
    public static Command Create(CliEnvironment env)
    {
        var models = new Argument<string[]>("MODEL")
        {
            Description = "The .dg models to serve; a request picks one with model=NAME (file name without .dg), the first by default.",
            Arity = ArgumentArity.OneOrMore,
        };
        var host = new Option<string>("--host") { Description = "Address to listen on (without API keys: loopback only).", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "TCP port (0: any free port).", DefaultValueFactory = _ => 8080 };
        var device = new Option<string?>("--device") { Description = "auto, cpu or cuda (default: dgtools.toml, else auto)." };
        var threads = new Option<int?>("--threads") { Description = "Torch threads (default: dgtools.toml, else all cores)." };
        var command = new Command("serve",
            "Serve models over Deepgram's API: POST /v1/listen (pre-recorded), WebSocket /v1/listen (live), /healthz, /metrics.")
        {
            models, host, port, device, threads,
        };
        command.SetAction(async (parse, cancel) =>
        {
            if (parse.GetValue(port) is < 0 or > 65535) throw new UsageException("--port must be from 0 to 65535");
            if (parse.GetValue(threads) is < 0) throw new UsageException("--threads must be 0 or more");
            var settings = Settings.Load(env.Resources.ConfigFile);
            var torchDevice = ComputeDevice.Resolve(parse.GetValue(device) ?? settings.Device);
            ComputeDevice.SetThreads(parse.GetValue(threads) ?? settings.Threads);
            var options = new ServeOptions { Host = parse.GetValue(host)!, Port = parse.GetValue(port), Settings = settings.Server };

            var served = new List<ServedModel>();
            foreach (var name in parse.GetValue(models)!)
            {
                var path = env.ResolvePath(name);
                var file = ModelFile.Read(path, ModelArchitecture.ExpectedShapes);
                var fileName = Path.GetFileNameWithoutExtension(path);
                if (served.Any(m => m.FileName.Equals(fileName, StringComparison.OrdinalIgnoreCase)))
                    throw new UsageException($"two models are named '{fileName}'");
                served.Add(new ServedModel(fileName, new SpeechRecognizer(file, path, device: torchDevice)));
            }
            using var servedModels = new ServedModels(served);
            await using var server = await ListenServer.StartAsync(options, servedModels, env.Out, cancel);
            foreach (var m in servedModels.All)
                env.Out.WriteLine($"Serving {m.FileName} ({m.Language}, {m.Model.Metadata.Name} {m.Model.Metadata.Version}) on {torchDevice.type.ToString().ToLowerInvariant()}");
            env.Out.WriteLine($"Listening on {string.Join(", ", server.Addresses)}: POST /v1/listen, WebSocket /v1/listen, /healthz, /metrics");
            env.Out.WriteLine(options.RequiresKeys
                ? $"API keys: {options.Settings.Keys.Count} from {env.Resources.ConfigFile}"
                : $"No API keys in {env.Resources.ConfigFile} [server]: loopback only, no authentication");
            env.Out.Flush();
            await server.WaitForShutdownAsync();
            env.Out.WriteLine("Stopped.");
            return CliApp.Ok;
        });
        return command;
    }
}
