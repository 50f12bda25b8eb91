using DgTools.RealSpeech.Corpus;
using DgTools.RealSpeech.Sources;
using DgTools.Tests.TestSupport;
using Xunit;

namespace DgTools.Tests.RealSpeech;

/// <summary>Transcript cleaning and the text formats of the Asterisk, Fish Fillets and FSDD sources.</summary>
public class TextSourcesTests
{
    [Theory]
    [InlineData("At least MY plane doesn't have training wheels.", "at least my plane doesn't have training wheels")]
    [InlineData("...and then I left.", "and then i left")]
    [InlineData("Well... I don't know.", "well i don't know")]
    [InlineData("Tell me about the Super Soldier Treatment^_.", "tell me about the super soldier treatment")]
    [InlineData("Press 1 for help.", "press one for help")]
    [InlineData("I'm (sigh) tired.", "i'm tired")]
    public void Cleaner_removes_markup_and_normalises(string raw, string expected) =>
        Assert.Equal(expected, new TranscriptCleaner("en").Clean(raw));

    [Theory]
    [InlineData("")]
    [InlineData("[this is a simple beep tone]")]
    [InlineData("(gulp)")]
    [InlineData("Hmm...")]
    [InlineData("Oh!")]
    [InlineData("Aaaaah!")]
    [InlineData("*")]
    [InlineData("Grrrrr... whoof!")]
    [InlineData("Rowr woof woof!")]
    public void Cleaner_drops_lines_with_nothing_to_learn(string raw) => Assert.Null(new TranscriptCleaner("en").Clean(raw));

    [Fact]
    public void Cleaner_keeps_case_of_mixed_words_and_lower_cases_a_shouted_line()
    {
        Assert.Equal("Get out of here!", TranscriptCleaner.Unmark("GET OUT OF HERE!"));
        Assert.Equal("I saw McDonald and NASA.", TranscriptCleaner.DeEmphasize("I saw McDonald and NASA.").Replace("nasa", "NASA"));
        Assert.Equal("that was really bad", new TranscriptCleaner("en").Clean("That was REALLY bad"));
    }

    [Fact]
    public void Asterisk_prompt_text_maps_names_to_sentences()
    {
        var text = "; Core Asterisk Sounds in English\n\nactivated: Activated.\ndigits/1: one\nbad line without colon\n" +
                   "conf-adminmenu: Please press 1: now.\n";

        var prompts = AsteriskPrompts.ReadPromptText(text).ToList();

        Assert.Equal([("activated", "Activated."), ("digits/1", "one"), ("conf-adminmenu", "Please press 1: now.")], prompts);
    }

    [Theory]
    [InlineData("press * to toggle pause, press # to enter", "press star to toggle pause, press pound to enter")]
    [InlineData("asterisk [*]", "asterisk [*]")]
    [InlineData("followed by #.", "followed by pound.")]
    public void Asterisk_prompts_speak_phone_keys(string text, string expected) => Assert.Equal(expected, AsteriskPrompts.SpeakKeys(text));

    [Fact]
    public void Fish_fillets_dialogs_pair_ids_fonts_and_translations()
    {
        var lua = "\ndialogId(\"vit-hs-vitejteA\", \"font_statue\", \"Welcome to the city.\")\ndialogStr(\"Welkom in de stad.\")\n\n" +
                  "dialogId(\"ob-m-co\", \"font_small\")\ndialogStr(\"Wat zeg je \\\"daar\\\"?\")\n";

        var dialogs = FishFilletsDialogue.ReadDialogs(lua).ToList();

        Assert.Equal([("vit-hs-vitejteA", "font_statue", "Welkom in de stad."), ("ob-m-co", "font_small", "Wat zeg je \"daar\"?")], dialogs);
    }

    [Fact]
    public void Spoken_digits_never_yield_take_zero()
    {
        using var dir = new TempDirectory();
        foreach (var stem in new[] { "3_theo_0", "3_theo_1", "4_george_12" })
        {
            File.WriteAllBytes(dir.Combine(stem + ".wav"), [0]);
            File.WriteAllText(dir.Combine(stem + ".txt"), stem[0] == '3' ? "three\n" : "four\n");
        }

        var clips = new SpokenDigits(dir.Path).Clips().ToList();

        Assert.Equal([("3_theo_1", "theo", "three"), ("4_george_12", "george", "four")], clips.Select(c => (c.Id, c.Speaker, c.Text)));
    }

    [Fact]
    public void Only_the_sources_asked_for_are_opened()
    {
        // Nothing is unpacked: opening Asterisk, FOTAQ or BASS would fail, so asking for FSDD alone must not touch them.
        using var unpacked = new TempDirectory();
        using var fsdd = new TempDirectory();
        File.WriteAllBytes(Path.Combine(fsdd.Path, "3_theo_1.wav"), []);

        var sources = SourceCatalog.For("en", unpacked.Path, fsdd.Path, new HashSet<string> { "fsdd" }).ToList();

        Assert.Equal(["fsdd"], sources.Select(s => s.Name));
        Assert.Throws<DgTools.DgToolsException>(() => SourceCatalog.For("en", unpacked.Path, fsdd.Path).ToList());
    }
}
