// What `dgtools suggest` writes: the list (one audio path per line, transcribe first at the top) and a Markdown report
// that says why each recording was chosen.
using System.Text;

namespace DgTools.Suggestion;

public static class SuggestionReport
{
    public static string List(IReadOnlyList<Suggestion> picks) => string.Concat(picks.Select(p => p.Recording.AudioPath + "\n"));

    public static string Markdown(IReadOnlyList<Suggestion> picks, int candidates, string model, bool calibrated, SuggestionOptions options)
    {
        var sb = new StringBuilder();
        double seconds = picks.Sum(p => p.Recording.Seconds);
        sb.Append("# Recordings to transcribe next\n\n");
        sb.Append($"{picks.Count} of {candidates} untranscribed recordings ({seconds / 60:0.0} min of audio), ranked by what " +
                  $"transcribing them is expected to teach {Cell(model)} per second of transcribing (the audio plus " +
                  $"{options.SecondsPerRecording:0.#} s a recording): the stretches of words it is unsure of (runs of words below confidence " +
                  $"{options.UncertainBelow:0.##}, from its " +
                  (calibrated ? "calibrated" : "uncalibrated — the model has no confidence map, run `dgtools calibrate`") +
                  " word confidences, or spelled outside its vocabulary), each counted only as far as it sounds different from " +
                  $"the stretches earlier picks already hold, and the word pairs around them that no earlier pick holds " +
                  $"({options.PairValue:0.##} each; a stretch counts as one word there).\n\n");
        sb.Append("| # | Recording | Seconds | Value | Per second | Why | Heard |\n|---:|---|---:|---:|---:|---|---|\n");
        foreach (var p in picks)
        {
            var heard = p.Recording.Transcript.Text;
            if (heard.Length > 80) heard = heard[..77] + "…";
            sb.Append($"| {p.Rank} | {Cell(p.Recording.AudioPath)} | {p.Recording.Seconds:0.0} | {p.Value:0.00} | {p.ValuePerSecond:0.00} | {Cell(p.Why())} | {Cell(heard)} |\n");
        }
        return sb.ToString();
    }

    private static string Cell(string text) => text.Replace("|", "\\|").Replace("\n", " ");
}
