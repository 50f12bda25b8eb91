// The .dg file's integrity check (format 2): "__metadata__" holds "dgtools.checksum": "sha256:<64 hex digits>", the
// SHA-256 of the whole file — length prefix, header (every tensor entry and every metadata section, whatever a later
// version adds), padding and all tensor data — computed with the 64 digits replaced by ASCII '0'. Hashing the bytes
// rather than a re-serialised header means nothing can be left out: a flipped byte anywhere changes the hash, and a
// reader needs no knowledge of the sections to check it. The value is fixed-length, so the writer serialises the
// header once with zeros, hashes, and patches the digits in place.
using System.Security.Cryptography;
using System.Text;

namespace DgTools.Model;

public static class ModelChecksum
{
    public const string Key = "dgtools.checksum";
    public const string Prefix = "sha256:";
    public const int Digits = 64;

    /// <summary>The value the header is serialised with before the digits are known.</summary>
    public static string Placeholder => Prefix + new string('0', Digits);

    /// <summary>Computes the checksum of a file image whose checksum digits are still the placeholder's zeros, over
    /// <paramref name="parts"/> in file order, and writes it into <paramref name="header"/> (which is one of the parts).</summary>
    public static void Seal(byte[] header, IEnumerable<ReadOnlyMemory<byte>> parts)
    {
        var at = ValueOffset(header, Placeholder) ?? throw new InvalidOperationException("the header has no checksum placeholder");
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var part in parts) sha.AppendData(part.Span);
        var hex = Convert.ToHexStringLower(sha.GetHashAndReset());
        Encoding.ASCII.GetBytes(hex, header.AsSpan(at, Digits));
    }

    /// <summary>Null when <paramref name="file"/> matches <paramref name="value"/> (the "dgtools.checksum" metadata of the
    /// header that starts at byte 8 and is <paramref name="headerLength"/> long); otherwise what is wrong.</summary>
    public static string? Verify(byte[] file, int headerLength, string value)
    {
        if (value.Length != Prefix.Length + Digits || !value.StartsWith(Prefix, StringComparison.Ordinal) ||
            value.AsSpan(Prefix.Length).IndexOfAnyExcept("0123456789abcdef") >= 0)
            return $"its checksum entry '{Truncate(value)}' is not {Prefix}<64 lowercase hex digits>";
        var header = file.AsSpan(8, headerLength);
        var at = ValueOffset(header, value);
        if (at is null) return "its checksum entry cannot be found in the header bytes";
        var digits = file.AsSpan(8 + at.Value, Digits);
        var stored = digits.ToArray();
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(file.AsSpan(0, 8 + at.Value));
        sha.AppendData(Encoding.ASCII.GetBytes(new string('0', Digits)));
        sha.AppendData(file.AsSpan(8 + at.Value + Digits));
        var actual = Convert.ToHexStringLower(sha.GetHashAndReset());
        return actual == Encoding.ASCII.GetString(stored) ? null : "its checksum does not match its contents";
    }

    /// <summary>Where the digits of the JSON string "<paramref name="value"/>" start in <paramref name="header"/>, when it
    /// occurs exactly once (inside another JSON string its quotes would be escaped, so it cannot be mistaken).</summary>
    private static int? ValueOffset(ReadOnlySpan<byte> header, string value)
    {
        var needle = Encoding.ASCII.GetBytes("\"" + value + "\"");
        var first = header.IndexOf(needle);
        if (first < 0 || header[(first + 1)..].IndexOf(needle) >= 0) return null;
        return first + 1 + Prefix.Length;
    }

    private static string Truncate(string s) => s.Length <= 80 ? s : s[..77] + "...";
}
