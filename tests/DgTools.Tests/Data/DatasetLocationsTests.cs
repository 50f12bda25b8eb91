using DgTools.Data;
using Xunit;

namespace DgTools.Tests.Data;

public sealed class DatasetLocationsTests : IDisposable
{
    private readonly TempResources _temp = new();

    public void Dispose() => _temp.Dispose();

    private IReadOnlyList<string> Names(string? locations, string language = "en") =>
        DatasetLocations.Resolve(_temp.Resources, language, locations).Select(l => l.Name).ToList();

    [Fact]
    public void Default_is_every_set_of_the_language_tree()
    {
        _temp.SetDir("A");
        _temp.SetDir("B");
        Directory.CreateDirectory(Path.Combine(_temp.Resources.DatasetsRoot("en"), ".hidden"));
        _temp.SetDir("C", "es");
        Assert.Equal(["A", "B"], Names(null));
        Assert.Equal(["C"], Names(null, "es"));
    }

    [Fact]
    public void Guide_container_paths_name_one_set()
    {
        _temp.SetDir("A");
        _temp.SetDir("B");
        Assert.Equal(["A"], Names("/dgtraining:A"));
        var enDir = Path.Combine(_temp.Root, "en", "dgdatasets", "X");
        Directory.CreateDirectory(enDir);
        Assert.Equal(["X"], Names("/dgtraining/en:X"));
    }

    [Fact]
    public void A_list_file_with_comments_names_several_sets()
    {
        _temp.SetDir("A");
        _temp.SetDir("B");
        _temp.SetDir("C");
        File.WriteAllText(_temp.Resources.DatasetsListFile, "# Include only A and C\n/dgtraining:A\n\n/dgtraining:C  # and C\n");
        Assert.Equal(["A", "C"], Names("/dgtraining/datasets.lst"));
        Assert.Equal(["A", "C"], Names(_temp.Resources.DatasetsListFile));
    }

    [Fact]
    public void A_plain_directory_is_a_set_when_it_holds_audio_else_a_folder_of_sets()
    {
        var outside = Path.Combine(_temp.Root, "elsewhere", "myset");
        TempResources.Pair(outside, "a", "hello", 1);
        Assert.Equal(["myset"], Names(outside));
        Assert.Equal(["myset"], Names(Path.GetDirectoryName(outside)));
    }

    [Theory]
    [InlineData("/dgtraining:missing", "data set 'missing'")]
    [InlineData("/no/such/dir", "does not exist")]
    public void Bad_locations_are_dataset_errors(string location, string message)
    {
        _temp.SetDir("A");
        var e = Assert.Throws<DatasetError>(() => Names(location));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void No_data_sets_is_a_dataset_error()
    {
        var e = Assert.Throws<DatasetError>(() => Names(null));
        Assert.Contains("does not exist", e.Message);
    }
}
