namespace DgTools.Tests.TestSupport;

/// <summary>A temp resource directory whose data set links to spoken digits in ../shared (never copied into the repo).</summary>
public static class DigitsResources
{
    public static string SharedDigits => Path.Combine(RepoPaths.Shared, "data", "fsdd-digits");

    /// <summary>dgdatasets/digits/ with links to every digit of <paramref name="speaker"/> for the given takes;
    /// the validation takes are forced into validation with keep_validate.lst.</summary>
    public static void Create(string resourceDir, string speaker, IEnumerable<int> trainTakes, IEnumerable<int> validateTakes)
    {
        var set = Path.Combine(resourceDir, "dgdatasets", "digits");
        Directory.CreateDirectory(set);
        var keep = new List<string> { "# held-out takes" };
        foreach (var (take, validate) in trainTakes.Select(t => (t, false)).Concat(validateTakes.Select(t => (t, true))))
        {
            for (var digit = 0; digit <= 9; digit++)
            {
                var stem = $"{digit}_{speaker}_{take}";
                foreach (var ext in new[] { ".wav", ".txt" })
                    File.CreateSymbolicLink(Path.Combine(set, stem + ext), Path.Combine(SharedDigits, stem + ext));
                if (validate) keep.Add(stem);
            }
        }
        File.WriteAllLines(Path.Combine(set, "keep_validate.lst"), keep);
    }
}
