using DgTools.Decoding;
using Xunit;

namespace DgTools.Tests.Decoding;

public class DecodingOptionsTests
{
    [Fact]
    public void Round_trips_through_its_stored_form()
    {
        var options = DecodingOptions.Default with { BeamSize = 8, LmWeight = 0.8, UnknownWordPenalty = -4 };
        var json = options.ToJson();
        Assert.Contains("\"version\":1", json);
        Assert.Contains("\"lm_weight\":0.8", json);
        Assert.Equal(options, DecodingOptions.FromJson(json));
    }

    [Fact]
    public void The_implicit_boundary_turned_off_round_trips_and_older_stored_options_get_the_default()
    {
        var off = DecodingOptions.Default with { ImplicitBoundaryPenalty = double.NegativeInfinity };
        Assert.Equal(off, DecodingOptions.FromJson(off.ToJson()));
        // Options stored before the field existed (session 4 models) read with the default.
        var old = DecodingOptions.FromJson("{\"version\":1,\"options\":{\"beam_size\":64,\"lm_weight\":0.7}}");
        Assert.Equal(DecodingOptions.Default.ImplicitBoundaryPenalty, old.ImplicitBoundaryPenalty);
    }

    [Theory]
    [InlineData("{\"version\":2,\"options\":{}}", "version 2")]
    [InlineData("{\"options\":{}}", "no version")]
    [InlineData("{\"version\":1,\"options\":{\"beam_size\":0}}", "beam size")]
    [InlineData("{\"version\":1,\"options\":{\"beam_width\":4}}", "malformed")]
    [InlineData("not json", "malformed")]
    public void Rejects_what_it_does_not_understand(string json, string expected)
    {
        var e = Assert.Throws<ModelFileError>(() => DecodingOptions.FromJson(json, "m.dg"));
        Assert.Contains(expected, e.Message);
        Assert.Equal("m.dg", e.Path);
    }
}
