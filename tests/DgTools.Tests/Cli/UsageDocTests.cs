// docs/usage.md's command reference is generated from each subcommand's --help, so the two cannot drift: this test
// renders the tables from the help the program prints and compares them with the file's generated part.
// DGTOOLS_UPDATE_GOLDEN=1 rewrites that part in the source tree (the rest of the page is written by hand).
using System.Text;
using System.Text.RegularExpressions;
using DgTools.Tests.TestSupport;
using Xunit;

namespace DgTools.Tests.Cli;

public class UsageDocTests
{
    private const string Begin = "<!-- BEGIN generated from `dgtools SUB --help` by tests/DgTools.Tests/Cli/UsageDocTests.cs; " +
                                 "DGTOOLS_UPDATE_GOLDEN=1 scripts/test.sh --fast rewrites it -->";
    private const string End = "<!-- END generated -->";

    [Fact]
    public void Usage_md_has_every_subcommands_help_as_a_table()
    {
        var path = Path.Combine(RepoPaths.Root, "docs", "usage.md");
        var text = File.ReadAllText(path);
        var (start, end) = (text.IndexOf(Begin, StringComparison.Ordinal), text.IndexOf(End, StringComparison.Ordinal));
        Assert.True(start >= 0 && end > start, $"{path} has no generated part between '{Begin}' and '{End}'");
        var expected = text[..(start + Begin.Length)] + "\n" + Render() + text[end..];
        if (Environment.GetEnvironmentVariable("DGTOOLS_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, expected);
            return;
        }
        Assert.True(expected == text, $"{path} is out of date with the program's --help; run DGTOOLS_UPDATE_GOLDEN=1 scripts/test.sh --fast");
    }

    /// <summary>One section per subcommand, in the order `dgtools help` lists them.</summary>
    internal static string Render()
    {
        using var dir = new TempDirectory();
        var help = CliRunner.Run(dir.Path, dir.Path, "help").Out;
        var names = Regex.Match(help, @"Valid subcommands are: ([^.]+)\.").Groups[1].Value.Split(", ");
        var md = new StringBuilder();
        foreach (var name in names)
        {
            var result = CliRunner.Run(dir.Path, dir.Path, name, "--help");
            Assert.True(result.ExitCode == 0, $"dgtools {name} --help failed: {result.Err}");
            md.Append(Section(name, result.Out));
        }
        return md.ToString();
    }

    private static string Section(string name, string help)
    {
        var sections = Sections(help);
        var md = new StringBuilder($"\n### `dgtools {name}`\n\n");
        if (sections.TryGetValue("Description", out var description)) md.Append(string.Join(' ', description.Select(l => l.Trim()))).Append("\n\n");
        if (sections.TryGetValue("Usage", out var usage)) md.Append($"`{usage[0].Trim()}`\n\n");
        var rows = Rows(sections.GetValueOrDefault("Arguments", [])).Concat(Rows(sections.GetValueOrDefault("Options", [])))
            .Where(r => r.Name is not ("-?, -h, --help" or "--verbose")).ToList();
        if (rows.Count == 0) return md.ToString();
        md.Append("| argument or option | what it does | default |\n|---|---|---|\n");
        foreach (var (names, text) in rows)
        {
            var m = Regex.Match(text, @"^(.*?)\s*\[default: (.*)\]$");
            var (what, fallback) = m.Success ? (m.Groups[1].Value, m.Groups[2].Value) : (text, "");
            md.Append($"| `{names}` | {what.Replace("|", "\\|")} | {(fallback.Length > 0 ? $"`{fallback}`" : "")} |\n");
        }
        return md.ToString();
    }

    /// <summary>The help text's sections ("Description:", "Usage:", "Arguments:", "Options:") and their lines.</summary>
    private static Dictionary<string, List<string>> Sections(string help)
    {
        var sections = new Dictionary<string, List<string>>();
        List<string>? current = null;
        foreach (var line in help.Split('\n').Select(l => l.TrimEnd()))
        {
            if (Regex.Match(line, @"^(\w[\w ]*):$") is { Success: true } header) sections[header.Groups[1].Value] = current = [];
            else if (line.Length > 0) current?.Add(line);
        }
        return sections;
    }

    /// <summary>Two columns — names, then the description after two or more spaces; indented lines continue it.</summary>
    private static IEnumerable<(string Name, string Text)> Rows(List<string> lines)
    {
        var rows = new List<(string Name, string Text)>();
        foreach (var line in lines)
        {
            var m = Regex.Match(line, @"^  (\S.*?)(?:\s{2,}(.*))?$");
            if (m.Success) rows.Add((m.Groups[1].Value, m.Groups[2].Value));
            else if (rows.Count > 0) rows[^1] = (rows[^1].Name, (rows[^1].Text + " " + line.Trim()).Trim());
        }
        return rows;
    }
}
