using DgTools.Text;
using Xunit;

namespace DgTools.Tests.Text;

public class TextNormalizerTests
{
    private static string En(string raw) => TextNormalizer.For("en").Normalize(raw);

    [Theory]
    [InlineData("Hello, World!", "hello world")]
    [InlineData("I have 42 apples.", "i have forty two apples")]
    [InlineData("50% off", "fifty percent off")]
    [InlineData("It costs $5.50 & more", "it costs five dollars fifty cents and more")]
    [InlineData("$1", "one dollar")]
    [InlineData("the 3rd and 21st of May", "the third and twenty first of may")]
    [InlineData("In 1999 and 2024, not 2005", "in nineteen ninety nine and twenty twenty four not two thousand five")]
    [InlineData("1,234,567", "one million two hundred thirty four thousand five hundred sixty seven")]
    [InlineData("pi is 3.14", "pi is three point one four")]
    [InlineData("don't stop — it's 'great'", "don't stop it's great")]
    [InlineData("Don\u2019t", "don't")]
    [InlineData("café naïve", "cafe naive")]
    [InlineData("cafe\u0301", "cafe")]
    [InlineData("ＦＵＬＬ　ｗｉｄｔｈ", "full width")]
    [InlineData("well-known  e-mail", "well known e mail")]
    [InlineData("007", "zero zero seven")]
    [InlineData("100th time", "one hundredth time")]
    public void English(string raw, string expected) => Assert.Equal(expected, En(raw));

    [Fact]
    public void English_cardinals()
    {
        Assert.Equal("zero", EnglishNormalizer.Cardinal(0));
        Assert.Equal("one hundred one", EnglishNormalizer.Cardinal(101));
        Assert.Equal("two billion five", EnglishNormalizer.Cardinal(2_000_000_005));
        Assert.Equal("twelfth", EnglishNormalizer.OrdinalWords(12));
        Assert.Equal("ninetieth", EnglishNormalizer.OrdinalWords(90));
    }

    [Fact]
    public void A_character_without_spelling_is_a_warning_not_a_crash()
    {
        var warnings = new List<string>();
        var text = TextNormalizer.For("en").Normalize("hello 世界 world 世", warnings.Add);
        Assert.Equal("hello world", text);
        Assert.Equal(2, warnings.Count);
        Assert.Contains("'世' (U+4E16)", warnings[0]);
    }

    [Theory]
    [InlineData("¿Qué tal, señor Núñez?", "qué tal señor núñez")]
    [InlineData("Tengo 21 años y 1.500 euros", "tengo veintiuno años y mil quinientos euros")]
    [InlineData("el 3,5%", "el tres coma cinco por ciento")]
    [InlineData("21000 personas", "veintiún mil personas")]
    [InlineData("el 1º y la 2ª", "el primero y la segunda")]
    [InlineData("100 y 101", "cien y ciento uno")]
    [InlineData("pingüino", "pingüino")]
    [InlineData("l'amour", "l amour")]
    public void Spanish(string raw, string expected) => Assert.Equal(expected, TextNormalizer.For("es").Normalize(raw));

    [Theory]
    [InlineData("Één café, twee auto's!", "één café twee auto's")]
    [InlineData("Ik ben 25 jaar", "ik ben vijfentwintig jaar")]
    [InlineData("22 en 33", "tweeëntwintig en drieëndertig")]
    [InlineData("1.250 mensen", "duizend tweehonderdvijftig mensen")]
    [InlineData("3,5%", "drie komma vijf procent")]
    [InlineData("naïef", "naïef")]
    public void Dutch(string raw, string expected) => Assert.Equal(expected, TextNormalizer.For("nl").Normalize(raw));

    [Theory]
    [InlineData("안녕하세요, 세계!", "안녕하세요 세계")]
    [InlineData("사과 42개", "사과 사십이 개")]
    [InlineData("12,345원", "만 이천삼백사십오 원")]
    [InlineData("10000", "만")]
    [InlineData("50%", "오십 퍼센트")]
    [InlineData("TV를 봤다", "tv를 봤다")]
    public void Korean(string raw, string expected) => Assert.Equal(expected, TextNormalizer.For("ko").Normalize(raw));

    [Fact]
    public void Korean_conjoining_jamo_input_is_composed_into_syllables()
    {
        // "한국" typed as conjoining jamo (as macOS file systems store it).
        Assert.Equal("한국", TextNormalizer.For("ko").Normalize("\u1112\u1161\u11AB\u1100\u116E\u11A8"));
    }

    [Fact]
    public void Unknown_language_is_a_config_error()
    {
        var e = Assert.Throws<ConfigError>(() => TextNormalizer.For("fr"));
        Assert.Contains("fr", e.Message);
    }

    [Theory]
    [InlineData("en")]
    [InlineData("es")]
    [InlineData("nl")]
    [InlineData("ko")]
    public void Normalised_output_only_contains_alphabet_units(string language)
    {
        var normalizer = TextNormalizer.For(language);
        var raw = "Mixed: 12 ÀÉÎÕÜ ñ ç ß ø 한글 ᄀ ‘quotes’ «guillemets» 3.5% $7 tab\there\nnew line";
        var text = normalizer.Normalize(raw, _ => { });
        Assert.All(text, c => Assert.True(normalizer.Alphabet.CanWrite(c), $"'{c}' in \"{text}\""));
        Assert.DoesNotContain("  ", text);
        normalizer.Alphabet.Encode(text); // must not throw
    }
}
