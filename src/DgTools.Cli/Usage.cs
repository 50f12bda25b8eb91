namespace DgTools.Cli;

/// <summary>The usage block of `dgtools help`, in the DGTools guide's words.</summary>
public static class Usage
{
    public static string Text(IEnumerable<string> subcommands) =>
        "Usage:\n" +
        "dgtools [SUBCOMMAND] [OPTIONS]\n" +
        $"Valid subcommands are: {string.Join(", ", subcommands)}. " +
        "For help on individual subcommands, type the '--help' option after the subcommand.\n" +
        "See docs/usage.md in the dgtools repository for more information.\n";
}
