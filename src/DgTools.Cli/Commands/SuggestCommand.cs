using System.CommandLine;
using DgTools.Audio;
using DgTools.Cli.Rendering;
using DgTools.Data;
using DgTools.Decoding;
using DgTools.Model;
using DgTools.Runtime;
using DgTools.Suggestion;

namespace DgTools.Cli.Commands;

public static class SuggestCommand
{
    public static Command Create(CliEnvironment env)
    {
        var model = new Argument<string>("MODEL") { Description = "The .dg model the new transcripts would train." };
        var locations = new Option<string?>("--dataset-locations")
        {
            Description = "Where the recordings are (/dgtraining:A, a directory, or a list file); audio without a .txt beside it is a candidate.",
        };
        var hours = new Option<double?>("--hours") { Description = "Suggest at most this many hours of audio." };
        var count = new Option<int?>("--count") { Description = "Suggest at most this many recordings." };
        var output = new Option<string>("--output", "-o") { Description = "The list to write (one audio path per line).", DefaultValueFactory = _ => "suggested.lst" };
        var report = new Option<string?>("--report") { Description = "The Markdown report saying why each was chosen (default: the list's name with .md)." };
        var runtime = RuntimeOptionFlags.Create();
        var command = new Command("suggest",
            "Rank untranscribed recordings (audio without .txt) by how much transcribing them would teach the model.")
        {
            model, locations, hours, count, output, report,
        };
        runtime.AddTo(command);
        command.SetAction(parse =>
        {
            var h = parse.GetValue(hours);
            var n = parse.GetValue(count);
            if (h is not null && n is not null) throw new UsageException("give --hours or --count, not both");
            if (h is { } hv && (!(hv > 0) || !double.IsFinite(hv))) throw new UsageException("--hours must be a positive number");
            if (n is <= 0) throw new UsageException("--count must be at least 1");
            var path = env.ResolvePath(parse.GetValue(model)!);
            var loaded = ModelFile.Read(path, ModelArchitecture.ExpectedShapes);
            var reporter = new ConsoleReporter(env);
            var candidates = new DatasetDiscovery(env.Resources, loaded.Metadata.Language, reporter).FindUntranscribed(parse.GetValue(locations));
            if (candidates.Count == 0) throw new DatasetError("no untranscribed recordings (audio without a .txt beside it) in the data sets");
            reporter.Info($"Recognising {candidates.Count} untranscribed recordings");
            using var recognizer = new SpeechRecognizer(loaded, path, device: runtime.Resolve(parse, env).Apply());
            if (recognizer.Decoder.Calibration is null)
                reporter.Warning("the model has no confidence map: suggestions rank by uncalibrated confidences (see `dgtools calibrate`)");
            var recognized = new List<RecognizedRecording>();
            foreach (var (_, audio) in candidates)
            {
                float[] samples;
                try { samples = AudioDecoder.Load(audio, recognizer.SampleRate); }
                catch (AudioError e)
                {
                    reporter.Warning($"{audio}: cannot decode ({e.Message}); skipped");
                    continue;
                }
                if (samples.Length == 0) { reporter.Warning($"{audio}: no audio; skipped"); continue; }
                recognized.Add(new RecognizedRecording(audio, samples.Length / (double)recognizer.SampleRate, recognizer.Transcribe(samples)));
            }
            var options = new SuggestionOptions { Hours = h, Count = n };
            var picks = RecordingSuggester.Rank(recognized, options);
            var listPath = env.ResolvePath(parse.GetValue(output)!);
            var reportPath = parse.GetValue(report) is { } r ? env.ResolvePath(r) : Path.ChangeExtension(listPath, ".md");
            AtomicFile.WriteAllText(listPath, SuggestionReport.List(picks));
            AtomicFile.WriteAllText(reportPath, SuggestionReport.Markdown(picks, recognized.Count, Path.GetFileName(path), recognizer.Decoder.Calibration is not null, options));
            foreach (var p in picks.Take(10)) env.Out.WriteLine($"{p.Rank,4}  {p.Recording.AudioPath}  ({p.Why()})");
            if (picks.Count > 10) env.Out.WriteLine($"      … {picks.Count - 10} more in {listPath}");
            reporter.Info($"Suggested {picks.Count} of {recognized.Count} recordings ({picks.Sum(p => p.Recording.Seconds) / 60:0.0} min): {listPath}, why: {reportPath}");
            return CliApp.Ok;
        });
        return command;
    }
}
