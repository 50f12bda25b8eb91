// A pre-recorded request's body into samples at the model's rate. Limits are checked before the body is read whole:
// Content-Length against the size limit (413 at once), raw PCM's duration from Content-Length and its format; a
// body without Content-Length is counted while it streams to a temporary file, and cut off at the limit. The file is
// then decoded exactly as `dgtools transcribe` decodes a file (AudioDecoder.Load), so both see the same samples.
using System.Buffers.Binary;
using System.Security.Cryptography;
using DgTools.Audio;
using Microsoft.AspNetCore.Http;

namespace DgTools.Server;

/// <summary>Raw (headerless) PCM as Deepgram describes it with query parameters.</summary>
public sealed record RawAudioFormat(int SampleRate, int Channels)
{
    public const int BytesPerSample = 2; // linear16

    /// <summary>The format from `encoding`, `sample_rate` and `channels`; null when no encoding is given (a container).</summary>
    public static RawAudioFormat? FromQuery(IQueryCollection query)
    {
        var encoding = query["encoding"].ToString();
        if (encoding.Length == 0) return null;
        if (!encoding.Equals("linear16", StringComparison.OrdinalIgnoreCase))
            throw ApiError.BadRequest($"encoding '{encoding}' is not supported: send linear16, or a container (WAV, MP3, Ogg, FLAC, ...) without encoding.");
        if (!int.TryParse(query["sample_rate"], out var rate) || rate < 4000 || rate > 192_000)
            throw ApiError.BadRequest("encoding=linear16 needs sample_rate (4000 to 192000).");
        int channels = 1;
        if (query.ContainsKey("channels") && (!int.TryParse(query["channels"], out channels) || channels < 1 || channels > 8))
            throw ApiError.BadRequest("channels must be from 1 to 8.");
        return new RawAudioFormat(rate, channels);
    }

    public double Seconds(long bytes) => bytes / (double)(BytesPerSample * Channels * SampleRate);

    /// <summary>Little-endian 16-bit interleaved frames, averaged to mono; a trailing partial frame is dropped.</summary>
    public float[] ToMono(ReadOnlySpan<byte> bytes)
    {
        int frameBytes = BytesPerSample * Channels, frames = bytes.Length / frameBytes;
        var mono = new float[frames];
        for (int f = 0; f < frames; f++)
        {
            float sum = 0;
            for (int c = 0; c < Channels; c++)
                sum += BinaryPrimitives.ReadInt16LittleEndian(bytes.Slice(f * frameBytes + c * BytesPerSample)) / 32768f;
            mono[f] = sum / Channels;
        }
        return mono;
    }
}

public sealed record DecodedRequest(float[] Samples, string Sha256, long Bytes);

public static class AudioRequest
{
    private static readonly string[] AcceptedTypes = ["audio/", "video/", "application/octet-stream", "deepgram/audio+video"];

    /// <summary>Reads and decodes the body; ApiError for everything the caller got wrong.</summary>
    public static async Task<DecodedRequest> ReadAsync(HttpRequest request, int sampleRate, ServeOptions options, string tempDirectory,
        CancellationToken cancel)
    {
        var type = request.ContentType?.Split(';')[0].Trim().ToLowerInvariant() ?? "";
        if (type == "application/json")
            throw ApiError.UnsupportedType("Remote URLs are not fetched by this server; send the audio bytes as the request body.");
        if (type.Length > 0 && !AcceptedTypes.Any(t => type.StartsWith(t, StringComparison.Ordinal)))
            throw ApiError.UnsupportedType($"Content-Type '{request.ContentType}' is not audio; send audio/*, video/* or application/octet-stream.");

        var raw = RawAudioFormat.FromQuery(request.Query);
        long max = options.MaxRequestBytes;
        if (request.ContentLength is { } declared)
        {
            if (declared > max) throw ApiError.TooLarge($"The body is {declared} bytes; this server takes at most {max}.");
            if (raw is not null && raw.Seconds(declared) > options.Settings.MaxAudioSeconds)
                throw ApiError.TooLarge($"The audio is {raw.Seconds(declared):0.#} s; this server takes at most {options.Settings.MaxAudioSeconds} s.");
        }
        if (request.ContentLength == 0) throw ApiError.BadRequest("The request body is empty: send the audio as the body.");

        var path = Path.Combine(tempDirectory, $"{Guid.NewGuid():N}.audio");
        try
        {
            string sha;
            long length = 0;
            using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                var buffer = new byte[1 << 16];
                int n;
                try
                {
                    while ((n = await request.Body.ReadAsync(buffer, cancel)) > 0)
                    {
                        length += n;
                        if (length > max) throw ApiError.TooLarge($"The body is over {max} bytes, the most this server takes.");
                        hash.AppendData(buffer, 0, n);
                        await file.WriteAsync(buffer.AsMemory(0, n), cancel);
                    }
                }
                catch (BadHttpRequestException e)
                {
                    // Kestrel's own limits: a body that arrives too slowly (408) or is larger than it may be (413).
                    throw e.StatusCode == 413 ? ApiError.TooLarge(e.Message) : ApiError.Timeout($"The body did not arrive: {e.Message}");
                }
                sha = Convert.ToHexStringLower(hash.GetHashAndReset());
            }
            if (length == 0) throw ApiError.BadRequest("The request body is empty: send the audio as the body.");

            float[] samples;
            if (raw is not null)
            {
                var bytes = await File.ReadAllBytesAsync(path, cancel);
                samples = Resampler.Resample(raw.ToMono(bytes), raw.SampleRate, sampleRate);
                if (samples.Length == 0) throw ApiError.BadRequest("The body holds no complete linear16 frame.");
            }
            else
            {
                try { samples = AudioDecoder.Load(path, sampleRate); }
                catch (AudioError e) { throw ApiError.BadRequest($"Bad Request: failed to process audio: {e.Message}"); }
            }
            double seconds = samples.Length / (double)sampleRate;
            if (seconds > options.Settings.MaxAudioSeconds)
                throw ApiError.TooLarge($"The audio is {seconds:0.#} s; this server takes at most {options.Settings.MaxAudioSeconds} s.");
            return new DecodedRequest(samples, sha, length);
        }
        finally
        {
            try { File.Delete(path); } catch (IOException) { }
        }
    }
}
