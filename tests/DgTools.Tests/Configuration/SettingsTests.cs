using DgTools.Configuration;
using Xunit;

namespace DgTools.Tests.Configuration;

public class SettingsTests
{
    [Fact]
    public void The_guides_license_table_is_accepted_and_ignored()
    {
        var s = Settings.Parse("[license]\n\nkey = \"REPLACE_WITH_YOUR_KEY\"\nserver_url = \"https://license.example\"\n", "dgtools.toml");
        Assert.True(s.HasLicenseTable);
        Assert.Equal("auto", s.Device);
    }

    [Fact]
    public void Runtime_settings_are_read()
    {
        var s = Settings.Parse("[runtime]\ndevice = \"cpu\"\nthreads = 2\n", "dgtools.toml");
        Assert.Equal(("cpu", 2), (s.Device, s.Threads));
    }

    [Fact]
    public void A_malformed_file_names_the_line()
    {
        var e = Assert.Throws<ConfigError>(() => Settings.Parse("[runtime]\ndevice = \n", "/r/dgtools.toml"));
        Assert.StartsWith("malformed dgtools.toml:", e.Message);
        Assert.Contains("2", e.Message);
        Assert.Equal("/r/dgtools.toml", e.Path);
    }

    [Theory]
    [InlineData("[runtime]\ndevice = \"tpu\"\n", "runtime.device in dgtools.toml must be")]
    [InlineData("[runtime]\nthreads = -1\n", "runtime.threads in dgtools.toml must be")]
    [InlineData("[runtime]\ncolour = 1\n", "unknown key 'runtime.colour'")]
    [InlineData("speed = 1\n", "unknown table or key 'speed'")]
    public void Wrong_values_are_named(string toml, string message)
    {
        var e = Assert.Throws<ConfigError>(() => Settings.Parse(toml, "dgtools.toml"));
        Assert.StartsWith(message, e.Message);
    }
}
