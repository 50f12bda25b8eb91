using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using DgTools.Configuration;
using DgTools.Server;
using DgTools.Tests.TestSupport;
using Xunit;

namespace DgTools.Tests.Serving;

/// <summary>A fact skipped, saying why, when node or Deepgram's SDK (tests/sdk/node_modules, `scripts/setup.sh`) is missing.</summary>
public sealed class SdkFactAttribute : FactAttribute
{
    public static string SdkDirectory => Path.Combine(RepoPaths.Root, "tests", "sdk");

    public SdkFactAttribute()
    {
        if (!Directory.Exists(Path.Combine(SdkDirectory, "node_modules", "@deepgram", "sdk")))
            Skip = $"Deepgram's JavaScript SDK is not installed in {SdkDirectory}/node_modules (scripts/setup.sh runs npm install there)";
        else if (FindNode() is null)
            Skip = "node is not on PATH (Deepgram's JavaScript SDK needs it)";
    }

    public static string? FindNode() => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
        .Select(d => Path.Combine(d, "node")).FirstOrDefault(File.Exists);
}

/// <summary>Deepgram's own JavaScript SDK, unmodified (npm @deepgram/sdk, pinned in tests/sdk/package.json), pointed at
/// the server with createClient(key, { global: { url } }): the conformance test of the API.</summary>
public class SdkConformanceTests
{
    private const string Key = "sdk-test-key-0001";

    private static async Task<JsonNode> RunSdk(string script, params string[] args)
    {
        var start = new ProcessStartInfo(SdkFactAttribute.FindNode()!)
        {
            WorkingDirectory = SdkFactAttribute.SdkDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(script);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        var text = (await output).Trim();
        Assert.True(text.Length > 0, $"the SDK script printed nothing; stderr: {await error}");
        return JsonNode.Parse(text.Split('\n')[^1])!;
    }

    private static Task<TestServer> Start() =>
        TestServer.StartAsync(new ServeOptions { Settings = new ServerSettings { Keys = [Key] } });

    [SdkFact]
    public async Task Prerecorded_the_sdk_gets_what_transcribe_prints()
    {
        await using var server = await Start();
        foreach (var id in new[] { "rx-val-000", "rx-val-005" })
        {
            var file = TestServer.Pharmacy(id);
            var result = await RunSdk("prerecorded.cjs", server.BaseUrl, Key, file);
            Assert.Null(result["error"]);
            Assert.Equal(ListenApiTests.TranscribeJson(file).ToJsonString(), ListenApiTests.WithoutRunFields(result.ToJsonString()).ToJsonString());
        }
        var boosted = await RunSdk("prerecorded.cjs", server.BaseUrl, Key, TestServer.Pharmacy("rx-val-000"), "general-en", "bupropion", "montelukast:1");
        Assert.Equal(ListenApiTests.TranscribeJson(TestServer.Pharmacy("rx-val-000"), "--keywords", "bupropion", "--keywords", "montelukast:1").ToJsonString(),
            ListenApiTests.WithoutRunFields(boosted.ToJsonString()).ToJsonString());
    }

    [SdkFact]
    public async Task Prerecorded_errors_reach_the_sdk_as_errors()
    {
        await using var server = await Start();
        var wrongKey = await RunSdk("prerecorded.cjs", server.BaseUrl, "not-the-key-000", TestServer.Pharmacy("rx-val-000"));
        Assert.Equal(401, wrongKey["error"]!["status"]!.GetValue<int>());
        var unknownModel = await RunSdk("prerecorded.cjs", server.BaseUrl, Key, TestServer.Pharmacy("rx-val-000"), "nova-3");
        Assert.Equal(404, unknownModel["error"]!["status"]!.GetValue<int>());
        await server.AssertStillServing();
    }

    [SdkFact]
    public async Task Live_the_sdk_streams_and_gets_what_transcribe_prints()
    {
        await using var server = await Start();
        foreach (var id in new[] { "rx-val-001", "rx-val-006" })
        {
            var file = TestServer.Pharmacy(id);
            var result = await RunSdk("live.cjs", server.BaseUrl, Key, file, "100", "5");
            Assert.Null(result["error"]);
            var offline = ListenApiTests.TranscribeJson(file)["results"]!["channels"]![0]!["alternatives"]![0]!["transcript"]!.GetValue<string>();
            Assert.Equal(offline, result["transcript"]!.GetValue<string>());
            Assert.True(result["finals"]!.GetValue<int>() >= 1);
            Assert.True(result["interims"]!.GetValue<int>() >= 1);
            Assert.Equal("Metadata", result["metadata"]!["type"]!.GetValue<string>());
        }
        // Two sentences and a pause: two finals (the first ended by the pause, speech_final), each recognised with the
        // whole recording as context (the right context of the first reaches the end), whose words join into
        // exactly what transcribe prints.
        using var dir = new TempDirectory();
        var pcm = File.ReadAllBytes(TestServer.Pharmacy("rx-val-002"))[44..].Concat(new byte[25600])
            .Concat(File.ReadAllBytes(TestServer.Pharmacy("rx-val-007"))[44..]).ToArray();
        var two = dir.Combine("two.wav");
        File.WriteAllBytes(two, LiveApiTests.WavOf(pcm));
        var both = await RunSdk("live.cjs", server.BaseUrl, Key, two, "100", "5");
        Assert.Null(both["error"]);
        Assert.True(both["finals"]!.GetValue<int>() >= 2, both.ToJsonString());
        Assert.Contains(both["results"]!.AsArray(), r => r!["is_final"]!.GetValue<bool>() && r["speech_final"]!.GetValue<bool>() &&
            r["start"]!.GetValue<double>() == 0 && r["transcript"]!.GetValue<string>().Length > 0);
        Assert.Equal(ListenApiTests.TranscribeJson(two)["results"]!["channels"]![0]!["alternatives"]![0]!["transcript"]!.GetValue<string>(),
            both["transcript"]!.GetValue<string>());
    }
}
