using Xunit;

namespace DgTools.Tests.TestSupport;

/// <summary>Golden-file assertions. DGTOOLS_UPDATE_GOLDEN=1 rewrites the checked-in file instead of comparing.</summary>
public static class Golden
{
    public static void Assert(string name, string actual)
    {
        var source = System.IO.Path.Combine(RepoPaths.SourceFixtures, "Golden", name);
        if (Environment.GetEnvironmentVariable("DGTOOLS_UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(source)!);
            File.WriteAllText(source, actual);
            return;
        }
        Xunit.Assert.True(File.Exists(source), $"golden file {source} is missing; run with DGTOOLS_UPDATE_GOLDEN=1 to create it");
        Xunit.Assert.Equal(File.ReadAllText(source), actual);
    }
}
