using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using DgTools.Configuration;
using DgTools.Server;
using DgTools.Tests.TestSupport;
using Xunit;

namespace DgTools.Tests.Serving;

/// <summary>POST /v1/listen, /healthz and /metrics over HTTP, against the bundled general model.</summary>
public class ListenApiTests
{
    /// <summary>What `dgtools transcribe --json` prints for the file, with the per-run fields blanked.</summary>
    internal static JsonNode TranscribeJson(string audio, params string[] extra)
    {
        using var dir = new TempDirectory();
        var result = CliRunner.Run(dir.Path, dir.Path, ["transcribe", TestServer.ModelPath, audio, "--json", .. extra]);
        Assert.Equal(0, result.ExitCode);
        return WithoutRunFields(result.Out.Trim());
    }

    internal static JsonNode WithoutRunFields(string json)
    {
        var node = JsonNode.Parse(json)!;
        node["metadata"]!["request_id"] = "";
        node["metadata"]!["created"] = "";
        // Utterance ids are made from the request id.
        foreach (var utterance in node["results"]!["utterances"]?.AsArray() ?? []) utterance!["id"] = "";
        return node;
    }

    private static ByteArrayContent Audio(byte[] bytes, string type = "audio/wav")
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(type);
        return content;
    }

    internal static async Task<(int Status, JsonElement Body)> Post(TestServer server, string query, HttpContent content, string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/listen" + query) { Content = content };
        if (key is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Token", key);
        var response = await server.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    internal static void AssertError(int expectedStatus, (int Status, JsonElement Body) answer)
    {
        Assert.Equal(expectedStatus, answer.Status);
        Assert.False(string.IsNullOrEmpty(answer.Body.GetProperty("err_code").GetString()));
        Assert.False(string.IsNullOrEmpty(answer.Body.GetProperty("err_msg").GetString()));
        Assert.True(Guid.TryParse(answer.Body.GetProperty("request_id").GetString(), out _));
    }

    [Fact]
    public async Task The_response_is_what_transcribe_json_prints_for_the_same_file()
    {
        await using var server = await TestServer.StartAsync();
        foreach (var id in new[] { "rx-val-000", "rx-val-001" })
        {
            var file = TestServer.Pharmacy(id);
            var (status, body) = await Post(server, "", Audio(await File.ReadAllBytesAsync(file)));
            Assert.Equal(200, status);
            Assert.Equal(TranscribeJson(file).ToJsonString(), WithoutRunFields(body.GetRawText()).ToJsonString());
        }
        // Keywords and model selection by name, as Deepgram's query parameters.
        var drug = TestServer.Pharmacy("rx-val-000");
        var boosted = await Post(server, "?model=general-en&language=en-US&keywords=bupropion:1&keywords=montelukast",
            Audio(await File.ReadAllBytesAsync(drug)));
        Assert.Equal(200, boosted.Status);
        Assert.Equal(TranscribeJson(drug, "--keywords", "bupropion:1", "--keywords", "montelukast").ToJsonString(),
            WithoutRunFields(boosted.Body.GetRawText()).ToJsonString());
        Assert.Contains("bupropion", boosted.Body.GetRawText());
    }

    [Fact]
    public async Task Utterances_are_split_at_pauses_as_transcribe_splits_them_and_a_bad_utt_split_is_refused()
    {
        await using var server = await TestServer.StartAsync();
        using var dir = new TempDirectory();
        // Two sentences with 1.2 s of silence between them.
        var pcm = File.ReadAllBytes(TestServer.Pharmacy("rx-val-000"))[44..].Concat(new byte[38400])
            .Concat(File.ReadAllBytes(TestServer.Pharmacy("rx-val-001"))[44..]).ToArray();
        var wav = dir.Combine("two.wav");
        File.WriteAllBytes(wav, LiveApiTests.WavOf(pcm));
        var (status, body) = await Post(server, "?utterances=true", Audio(File.ReadAllBytes(wav)));
        Assert.Equal(200, status);
        Assert.Equal(TranscribeJson(wav, "--utterances").ToJsonString(), WithoutRunFields(body.GetRawText()).ToJsonString());
        var utterances = body.GetProperty("results").GetProperty("utterances").EnumerateArray().ToList();
        Assert.True(utterances.Count >= 2, body.GetRawText());
        // They hold every word of the transcript, in order, each one ending before the next starts.
        var transcript = body.GetProperty("results").GetProperty("channels")[0].GetProperty("alternatives")[0].GetProperty("transcript").GetString();
        Assert.Equal(transcript, string.Join(' ', utterances.Select(u => u.GetProperty("transcript").GetString())));
        for (int i = 1; i < utterances.Count; i++)
            Assert.True(utterances[i].GetProperty("start").GetDouble() - utterances[i - 1].GetProperty("end").GetDouble() >= 0.8);

        var split = await Post(server, "?utterances=true&utt_split=30", Audio(File.ReadAllBytes(wav)));
        Assert.Single(split.Body.GetProperty("results").GetProperty("utterances").EnumerateArray());
        AssertError(400, await Post(server, "?utterances=true&utt_split=soon", Audio(File.ReadAllBytes(wav))));
    }

    [Fact]
    public async Task Headerless_linear16_described_by_the_query_is_recognised_like_the_wav()
    {
        await using var server = await TestServer.StartAsync();
        var wav = await File.ReadAllBytesAsync(TestServer.Pharmacy("rx-val-002"));
        var pcm = wav[44..]; // these files are canonical 44-byte-header PCM WAVs (checked below)
        Assert.Equal("data", System.Text.Encoding.ASCII.GetString(wav, 36, 4));
        var fromWav = await Post(server, "", Audio(wav));
        var fromPcm = await Post(server, "?encoding=linear16&sample_rate=16000&channels=1", Audio(pcm, "application/octet-stream"));
        Assert.Equal(200, fromPcm.Status);
        string Text(JsonElement e) => e.GetProperty("results").GetProperty("channels")[0].GetProperty("alternatives")[0].GetProperty("transcript").GetString()!;
        Assert.Equal(Text(fromWav.Body), Text(fromPcm.Body));
        AssertError(400, await Post(server, "?encoding=mulaw&sample_rate=8000", Audio(pcm, "application/octet-stream")));
        AssertError(400, await Post(server, "?encoding=linear16", Audio(pcm, "application/octet-stream")));
    }

    [Fact]
    public async Task Every_bad_request_gets_its_status_and_an_error_json_and_the_server_keeps_serving()
    {
        var options = new ServeOptions { Settings = new ServerSettings { Keys = ["right-key-123"], MaxRequestMegabytes = 1 } };
        await using var server = await TestServer.StartAsync(options);
        const string key = "right-key-123";
        var good = await File.ReadAllBytesAsync(TestServer.Pharmacy("rx-val-000"));

        AssertError(401, await Post(server, "", Audio(good)));
        AssertError(401, await Post(server, "", Audio(good), key: "wrong-key-456"));
        AssertError(400, await Post(server, "", Audio([.. "RIFF"u8, .. new byte[5000]]), key));            // undecodable
        AssertError(400, await Post(server, "", Audio(new byte[3000]), key));                               // not audio at all
        AssertError(400, await Post(server, "", Audio([]), key));                                            // empty
        AssertError(413, await PostExpectingContinue(server, Audio(new byte[2 * 1024 * 1024]), key));       // over 1 MB
        AssertError(404, await Post(server, "?model=nova-3", Audio(good), key));                            // unknown model
        AssertError(400, await Post(server, "?language=fr", Audio(good), key));                             // no French model
        AssertError(400, await Post(server, "?keywords=bupropion:lots", Audio(good), key));                 // bad intensifier
        AssertError(415, await Post(server, "", new StringContent("{\"url\":\"https://example.com/a.wav\"}",
            System.Text.Encoding.UTF8, "application/json"), key));
        AssertError(415, await Post(server, "", new StringContent("hello", System.Text.Encoding.UTF8, "text/plain"), key));

        // A body sent without Content-Length (chunked) is cut off at the limit, not read whole. The server answers
        // while the client is still sending and then closes: a client that only reads the answer after sending
        // everything may find the connection reset (HttpClient does), so this one reads while it sends.
        var answer = await PostChunkedWhileReading(server, 3 * 1024 * 1024, key);
        Assert.StartsWith("HTTP/1.1 413", answer);
        Assert.Contains("\"err_code\"", answer);

        var after = await Post(server, "", Audio(good), key);
        Assert.Equal(200, after.Status);
        Assert.Equal(200, (int)(await server.Http.GetAsync("/healthz")).StatusCode);
        // One access-log line per request, with its status.
        var lines = server.Log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.Contains("\"POST /v1/listen?model=nova-3\" 404"));
        Assert.Equal(2, lines.Count(l => l.Contains(" 401 ")));
    }

    /// <summary>A POST with "Expect: 100-continue": the body goes only once the server asks for it, so a refusal
    /// before reading (413 from Content-Length) arrives without a body in flight to race with.</summary>
    private static async Task<(int Status, JsonElement Body)> PostExpectingContinue(TestServer server, HttpContent content, string key)
    {
        using var client = new HttpClient(new SocketsHttpHandler { Expect100ContinueTimeout = Timeout.InfiniteTimeSpan })
            { BaseAddress = new Uri(server.BaseUrl), Timeout = TimeSpan.FromSeconds(120) };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/listen") { Content = content };
        request.Headers.ExpectContinue = true;
        request.Headers.Authorization = new AuthenticationHeaderValue("Token", key);
        var response = await client.SendAsync(request);
        return ((int)response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    /// <summary>Sends a chunked body of zeros over a raw connection while reading the answer; the answer's text.</summary>
    private static async Task<string> PostChunkedWhileReading(TestServer server, int bytes, string key)
    {
        var uri = new Uri(server.BaseUrl);
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(uri.Host, uri.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(
            $"POST /v1/listen HTTP/1.1\r\nHost: x\r\nContent-Type: audio/wav\r\nAuthorization: Token {key}\r\nTransfer-Encoding: chunked\r\n\r\n"));
        var sending = Task.Run(async () =>
        {
            var chunk = System.Text.Encoding.ASCII.GetBytes($"{64 * 1024:x}\r\n").Concat(new byte[64 * 1024]).Concat("\r\n"u8.ToArray()).ToArray();
            try
            {
                for (int sent = 0; sent < bytes; sent += 64 * 1024) await stream.WriteAsync(chunk);
                await stream.WriteAsync("0\r\n\r\n"u8.ToArray());
            }
            catch (IOException) { } // the server answered and closed: the rest is not wanted
        });
        var answer = new MemoryStream();
        var buffer = new byte[16 * 1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            int n;
            while ((n = await stream.ReadAsync(buffer, timeout.Token)) > 0) answer.Write(buffer, 0, n);
        }
        catch (IOException) when (answer.Length > 0) { } // reset after the answer arrived
        await sending;
        return System.Text.Encoding.UTF8.GetString(answer.ToArray());
    }

    [Fact]
    public async Task A_client_that_stops_sending_its_body_is_answered_408_and_the_server_keeps_serving()
    {
        await using var server = await TestServer.StartAsync();
        using var tcp = new System.Net.Sockets.TcpClient();
        var uri = new Uri(server.BaseUrl);
        await tcp.ConnectAsync(uri.Host, uri.Port);
        var stream = tcp.GetStream();
        var head = "POST /v1/listen HTTP/1.1\r\nHost: x\r\nContent-Type: audio/wav\r\nContent-Length: 100000\r\n\r\n"u8.ToArray();
        await stream.WriteAsync(head);
        await stream.WriteAsync(new byte[1000]);   // then nothing more
        var reader = new StreamReader(stream);
        var read = reader.ReadToEndAsync();
        var done = await Task.WhenAny(read, Task.Delay(TimeSpan.FromSeconds(60)));
        Assert.Same(read, done);
        var answer = await read;
        Assert.StartsWith("HTTP/1.1 408", answer);
        Assert.Contains("\"err_code\"", answer);
        await server.AssertStillServing();
    }

    [Fact]
    public async Task A_full_queue_answers_429_instead_of_growing()
    {
        var options = new ServeOptions { Settings = new ServerSettings { QueueLimit = 1 }, MaxBatchUtterances = 1 };
        await using var server = await TestServer.StartAsync(options);
        var audio = await File.ReadAllBytesAsync(TestServer.Pharmacy("rx-val-003"));
        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => Post(server, "", Audio(audio))));
        Assert.Contains(answers, a => a.Status == 200);
        Assert.Contains(answers, a => a.Status == 429);
        foreach (var a in answers.Where(a => a.Status != 200)) AssertError(429, a);
        await server.AssertStillServing();
        var metrics = await server.Http.GetStringAsync("/metrics");
        Assert.Matches("dgtools_requests_total\\{endpoint=\"listen\",status=\"429\"\\} [1-9]", metrics);
    }

    [Fact]
    public async Task Health_and_prometheus_metrics_count_requests_audio_and_latency()
    {
        await using var server = await TestServer.StartAsync();
        await server.AssertStillServing();
        Assert.Equal("{\"status\":\"ok\"}", await server.Http.GetStringAsync("/healthz"));
        var metrics = await server.Http.GetStringAsync("/metrics");
        Assert.Contains("# TYPE dgtools_request_duration_seconds histogram", metrics);
        Assert.Contains("dgtools_requests_total{endpoint=\"listen\",status=\"200\"} 1", metrics);
        Assert.Contains("dgtools_request_duration_seconds_count 1", metrics);
        Assert.Matches("dgtools_audio_seconds_total 2\\.6[0-9]*", metrics);
        Assert.Contains("dgtools_queue_depth 0", metrics);
        Assert.Contains("# TYPE dgtools_requests_in_flight gauge", metrics);
        Assert.Contains("dgtools_batches_total 1", metrics);
    }

    [Fact]
    public async Task On_stop_a_request_in_flight_finishes_and_new_ones_are_refused()
    {
        var server = await TestServer.StartAsync();
        try
        {
            // The body's second half is held back until the server is stopping, so the request is surely in flight.
            var audio = await File.ReadAllBytesAsync(TestServer.Pharmacy("rx-val-004"));
            var rest = new TaskCompletionSource();
            var body = new HeldBackContent(audio, rest.Task);
            body.Headers.ContentType = new MediaTypeHeaderValue("audio/wav");
            var inFlight = Post(server, "", body);
            await WaitForMetric(server, "dgtools_requests_in_flight 1");
            var stopping = server.Server.StopAsync();
            rest.SetResult();
            var answer = await inFlight;
            Assert.Equal(200, answer.Status);
            await stopping;
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => server.Http.GetAsync("/healthz"));
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    /// <summary>A WAV body that sends its first half at once and the rest when <c>rest</c> completes.</summary>
    private sealed class HeldBackContent(byte[] bytes, Task rest) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            await stream.WriteAsync(bytes.AsMemory(0, bytes.Length / 2));
            await stream.FlushAsync();
            await rest;
            await stream.WriteAsync(bytes.AsMemory(bytes.Length / 2));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = bytes.Length;
            return true;
        }
    }

    /// <summary>Polls /metrics until it has the line (60 s at most).</summary>
    internal static async Task WaitForMetric(TestServer server, string line)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        string metrics;
        while (!(metrics = await server.Http.GetStringAsync("/metrics")).Split('\n').Contains(line))
        {
            Assert.True(DateTime.UtcNow < deadline, $"no '{line}' in /metrics within 60 s:\n{metrics}");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task Without_api_keys_only_loopback_may_be_bound()
    {
        var error = await Assert.ThrowsAsync<ConfigError>(() => TestServer.StartAsync(new ServeOptions { Host = "0.0.0.0" }));
        Assert.Contains("loopback", error.Message);
    }

    [Fact]
    public void The_serve_command_refuses_a_public_address_without_keys_and_bad_ports_in_one_line()
    {
        using var dir = new TempDirectory();
        var open = CliRunner.Run(dir.Path, dir.Path, "serve", TestServer.ModelPath, "--host", "0.0.0.0", "--port", "0");
        Assert.Equal(1, open.ExitCode);
        Assert.StartsWith("error: without API keys dgtools serve binds only to loopback", open.Err);
        var port = CliRunner.Run(dir.Path, dir.Path, "serve", TestServer.ModelPath, "--port", "70000");
        Assert.Equal(2, port.ExitCode);
        File.WriteAllText(dir.Combine("dgtools.toml"), "[server]\nkeys = [\"x\"]\n");
        var badKeys = CliRunner.Run(dir.Path, dir.Path, "serve", TestServer.ModelPath, "--port", "0");
        Assert.Equal(1, badKeys.ExitCode);
        Assert.Contains("server.keys", badKeys.Err);
    }

    [Fact]
    public void The_server_table_of_dgtools_toml_is_read_and_checked()
    {
        var settings = Settings.Parse("[server]\nkeys = [\"abcdefgh12\"]\nmax_request_mb = 5\nmax_audio_seconds = 60\nqueue_limit = 3\nsend_timeout_seconds = 2\n", "t.toml");
        Assert.Equal(["abcdefgh12"], settings.Server.Keys);
        Assert.Equal(5, settings.Server.MaxRequestMegabytes);
        Assert.Equal(60, settings.Server.MaxAudioSeconds);
        Assert.Equal(3, settings.Server.QueueLimit);
        Assert.Equal(2, settings.Server.SendTimeoutSeconds);
        Assert.Throws<ConfigError>(() => Settings.Parse("[server]\nsend_timeout_seconds = 0\n", "t.toml"));
        Assert.Throws<ConfigError>(() => Settings.Parse("[server]\nkeys = [\"short\"]\n", "t.toml"));
        Assert.Throws<ConfigError>(() => Settings.Parse("[server]\nqueue_limit = 0\n", "t.toml"));
        Assert.Throws<ConfigError>(() => Settings.Parse("[server]\nport = 80\n", "t.toml"));
    }
}
