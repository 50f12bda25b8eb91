// Renders library progress for a person. On a terminal: one live status line (Spectre.Console markup), redrawn at most
// four times a second, with info and warning lines printed above it. Otherwise (CI, logs, pipes): plain timestamped
// lines, progress at most every few seconds.
using System.Diagnostics;
using DgTools.Reporting;
using Spectre.Console;

namespace DgTools.Cli.Rendering;

public sealed class ConsoleReporter : IRunReporter
{
    private readonly CliEnvironment _env;
    private readonly IAnsiConsole? _console;
    private readonly Stopwatch _sinceDraw = Stopwatch.StartNew();
    private readonly TimeSpan _interval;
    private readonly object _gate = new();
    private bool _statusShown;

    public ConsoleReporter(CliEnvironment env)
    {
        _env = env;
        if (env.IsTerminal)
        {
            _console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(env.Out) });
        }
        _interval = env.IsTerminal ? TimeSpan.FromMilliseconds(250) : TimeSpan.FromSeconds(10);
    }

    public void Info(string line)
    {
        lock (_gate)
        {
            ClearStatus();
            if (_console is not null) _console.MarkupLine(Markup.Escape(line));
            else _env.Out.WriteLine($"{Stamp()} {line}");
        }
    }

    public void Warning(string line)
    {
        lock (_gate)
        {
            ClearStatus();
            if (_console is not null) _console.MarkupLine($"[yellow]warning:[/] {Markup.Escape(line)}");
            else _env.Err.WriteLine($"{Stamp()} warning: {line}");
        }
    }

    public void Progress(ProgressSnapshot s)
    {
        lock (_gate)
        {
            var final = s.Total > 0 && s.Done >= s.Total;
            if (!final && _sinceDraw.Elapsed < _interval) return;
            _sinceDraw.Restart();
            var fields = s.Fields is null ? "" : "  " + string.Join("  ", s.Fields.Select(f => $"{f.Key} {f.Value}"));
            var text = s.Total > 0
                ? $"{s.Task}: {s.Remaining:N0} {s.Unit} remaining of {s.Total:N0}{fields}"
                : $"{s.Task}: {s.Done:N0} {s.Unit}{fields}";
            if (_console is null)
            {
                _env.Out.WriteLine($"{Stamp()} {text}");
                return;
            }
            var width = Math.Max(20, _console.Profile.Width - 1);
            if (text.Length > width) text = text[..width];
            _env.Out.Write($"\r{text.PadRight(width)}");
            _env.Out.Flush();
            _statusShown = true;
        }
    }

    private void ClearStatus()
    {
        if (!_statusShown) return;
        _env.Out.Write("\r" + new string(' ', Math.Max(20, _console!.Profile.Width - 1)) + "\r");
        _statusShown = false;
    }

    private static string Stamp() => DateTime.Now.ToString("HH:mm:ss");
}
