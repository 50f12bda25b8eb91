using System.Net.Http;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using DgTools.Configuration;
using DgTools.Server;
using Xunit;

namespace DgTools.Tests.Serving;

/// <summary>GET /v1/listen as a WebSocket (Deepgram's live API), with .NET's own WebSocket client.</summary>
public class LiveApiTests
{
    private static Uri LiveUri(TestServer server, string query) => new(server.BaseUrl.Replace("http://", "ws://") + "/v1/listen" + query);

    /// <summary>Every text message until the server closes, and how it closed.</summary>
    private static async Task<(List<JsonElement> Messages, WebSocketCloseStatus? Close)> ReadAll(ClientWebSocket socket)
    {
        var messages = new List<JsonElement>();
        var buffer = new byte[1 << 16];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        while (true)
        {
            var text = new MemoryStream();
            WebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer, timeout.Token);
                text.Write(buffer, 0, result.Count);
            } while (!result.EndOfMessage);
            if (result.MessageType == WebSocketMessageType.Close) return (messages, result.CloseStatus);
            messages.Add(JsonDocument.Parse(text.ToArray()).RootElement.Clone());
        }
    }

    private static byte[] Pcm(string id) => File.ReadAllBytes(TestServer.Pharmacy(id))[44..];

    private static async Task SendPcm(ClientWebSocket socket, byte[] pcm, int chunkBytes = 3200)
    {
        for (int at = 0; at < pcm.Length; at += chunkBytes)
            await socket.SendAsync(pcm.AsMemory(at, Math.Min(chunkBytes, pcm.Length - at)), WebSocketMessageType.Binary, true, default);
    }

    private static Task SendText(ClientWebSocket socket, string text) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, default);

    private static string FinalText(IEnumerable<JsonElement> messages) => string.Join(' ', messages
        .Where(m => m.GetProperty("type").GetString() == "Results" && m.GetProperty("is_final").GetBoolean())
        .Select(m => m.GetProperty("channel").GetProperty("alternatives")[0].GetProperty("transcript").GetString())
        .Where(t => t!.Length > 0));

    [Fact]
    public async Task A_short_stream_gets_interim_and_final_results_then_metadata_and_the_offline_transcript()
    {
        await using var server = await TestServer.StartAsync();
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(LiveUri(server, "?encoding=linear16&sample_rate=16000&interim_results=true"), default);
        await SendPcm(socket, Pcm("rx-val-001"));
        await SendText(socket, "{\"type\":\"KeepAlive\"}");
        await SendText(socket, "{\"type\":\"CloseStream\"}");
        var (messages, close) = await ReadAll(socket);

        Assert.Equal(WebSocketCloseStatus.NormalClosure, close);
        Assert.Equal("Metadata", messages[^1].GetProperty("type").GetString());
        Assert.Equal(2.0, messages[^1].GetProperty("duration").GetDouble(), 0);
        Assert.Contains(messages, m => m.GetProperty("type").GetString() == "Results" && !m.GetProperty("is_final").GetBoolean());
        var last = messages[^2];
        Assert.True(last.GetProperty("is_final").GetBoolean());
        Assert.True(last.GetProperty("speech_final").GetBoolean());
        var offline = ListenApiTests.TranscribeJson(TestServer.Pharmacy("rx-val-001"));
        Assert.Equal(offline["results"]!["channels"]![0]!["alternatives"]![0]!["transcript"]!.GetValue<string>(), FinalText(messages));
    }

    [Fact]
    public async Task A_long_stream_is_cut_into_finals_that_tile_it_and_recognise_it_as_well_as_offline()
    {
        // Eight utterances back to back (~25 s): several segments, each recognised with context on both sides. Offline,
        // the whole 25 s go through the network at once, which this model (trained on single sentences) does not do
        // better than the live segments; so the live transcript is held to the offline one's accuracy against the
        // reference text (their WER to each other is measured by bench/serve/live.sh, docs/benchmarks.md).
        var ids = Enumerable.Range(0, 8).Select(i => $"rx-val-{i:000}").ToList();
        var pcm = ids.SelectMany(Pcm).ToArray();
        var normalizer = DgTools.Text.TextNormalizer.For("en");
        var reference = string.Join(' ', ids.Select(id => normalizer.Normalize(File.ReadAllText(Path.ChangeExtension(TestServer.Pharmacy(id), ".txt")))));
        using var dir = new TestSupport.TempDirectory();
        var wav = dir.Combine("long.wav");
        Tests.Data.TempResources.WriteFile(dir.Path, "long.wav", WavOf(pcm));

        await using var server = await TestServer.StartAsync();
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(LiveUri(server, "?encoding=linear16&sample_rate=16000"), default);
        await SendPcm(socket, pcm, chunkBytes: 8000);
        await SendText(socket, "{\"type\":\"CloseStream\"}");
        var (messages, _) = await ReadAll(socket);

        var finals = messages.Where(m => m.GetProperty("type").GetString() == "Results").ToList();
        Assert.True(finals.Count >= 3, $"{finals.Count} final results");
        // Finals tile the stream: each starts where the last ended, the last ends at the end.
        for (int i = 1; i < finals.Count; i++)
            Assert.Equal(finals[i - 1].GetProperty("start").GetDouble() + finals[i - 1].GetProperty("duration").GetDouble(),
                finals[i].GetProperty("start").GetDouble(), 2);
        Assert.Equal(pcm.Length / 32000.0, finals[^1].GetProperty("start").GetDouble() + finals[^1].GetProperty("duration").GetDouble(), 2);
        var offline = ListenApiTests.TranscribeJson(wav)["results"]!["channels"]![0]!["alternatives"]![0]!["transcript"]!.GetValue<string>();
        var live = FinalText(messages);
        double Wer(string hypothesis) => DgTools.Evaluation.WordErrorRate.AlignWords(reference, hypothesis).Counts.Rate;
        Assert.True(Wer(live) <= Wer(offline) + 0.10,
            $"WER against the reference: live {Wer(live):P1}, offline {Wer(offline):P1}\nreference: {reference}\noffline:   {offline}\nlive:      {live}");
    }

    internal static byte[] WavOf(byte[] pcm, int rate = 16000)
    {
        var header = new MemoryStream();
        var w = new BinaryWriter(header);
        w.Write("RIFF"u8); w.Write(36 + pcm.Length); w.Write("WAVE"u8);
        w.Write("fmt "u8); w.Write(16); w.Write((short)1); w.Write((short)1); w.Write(rate); w.Write(rate * 2); w.Write((short)2); w.Write((short)16);
        w.Write("data"u8); w.Write(pcm.Length);
        return [.. header.ToArray(), .. pcm];
    }

    [Fact]
    public async Task A_wav_stream_without_encoding_is_read_from_its_header()
    {
        await using var server = await TestServer.StartAsync();
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(LiveUri(server, ""), default);
        await SendPcm(socket, File.ReadAllBytes(TestServer.Pharmacy("rx-val-001")), chunkBytes: 30); // the header split too
        await socket.SendAsync(Array.Empty<byte>(), WebSocketMessageType.Binary, true, default);        // the old end-of-stream
        var (messages, close) = await ReadAll(socket);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, close);
        var offline = ListenApiTests.TranscribeJson(TestServer.Pharmacy("rx-val-001"));
        Assert.Equal(offline["results"]!["channels"]![0]!["alternatives"]![0]!["transcript"]!.GetValue<string>(), FinalText(messages));
    }

    [Theory]
    [InlineData("not json", WebSocketCloseStatus.InvalidPayloadData)]
    [InlineData("{\"type\":\"Explode\"}", WebSocketCloseStatus.InvalidPayloadData)]
    [InlineData("{\"kind\":1}", WebSocketCloseStatus.InvalidPayloadData)]
    public async Task A_malformed_control_message_gets_an_error_message_and_a_close_and_the_server_keeps_serving(string text, WebSocketCloseStatus expected)
    {
        await using var server = await TestServer.StartAsync();
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(LiveUri(server, "?encoding=linear16&sample_rate=16000"), default);
        await SendPcm(socket, Pcm("rx-val-000")[..16000]);
        await SendText(socket, text);
        var (messages, close) = await ReadAll(socket);
        Assert.Equal(expected, close);
        AssertErrorMessage(messages[^1]);
        await server.AssertStillServing();
    }

    private static void AssertErrorMessage(JsonElement m)
    {
        Assert.Equal("Error", m.GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(m.GetProperty("err_code").GetString()));
        Assert.False(string.IsNullOrEmpty(m.GetProperty("err_msg").GetString()));
        Assert.True(Guid.TryParse(m.GetProperty("request_id").GetString(), out _));
    }

    [Fact]
    public async Task An_oversized_frame_and_non_wav_audio_without_encoding_are_refused_with_an_error()
    {
        await using var server = await TestServer.StartAsync(new ServeOptions { MaxFrameBytes = 64 * 1024 });
        using (var socket = new ClientWebSocket())
        {
            await socket.ConnectAsync(LiveUri(server, "?encoding=linear16&sample_rate=16000"), default);
            await socket.SendAsync(new byte[100 * 1024], WebSocketMessageType.Binary, true, default);
            var (messages, close) = await ReadAll(socket);
            Assert.Equal(WebSocketCloseStatus.MessageTooBig, close);
            AssertErrorMessage(messages[^1]);
        }
        using (var socket = new ClientWebSocket())
        {
            await socket.ConnectAsync(LiveUri(server, ""), default);
            await socket.SendAsync("OggS and then some bytes"u8.ToArray(), WebSocketMessageType.Binary, true, default);
            var (messages, close) = await ReadAll(socket);
            Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, close);
            AssertErrorMessage(messages[^1]);
        }
        await server.AssertStillServing();
    }

    [Theory]
    [InlineData(new byte[] { 0x83, 0x80, 1, 2, 3, 4 })]       // a reserved opcode (3)
    [InlineData(new byte[] { 0x89, 0xFE, 0x01, 0x00, 1, 2, 3, 4 })] // a ping with 256 bytes (control frames hold 125 at most)
    public async Task A_malformed_websocket_frame_is_closed_as_a_protocol_error_and_the_server_keeps_serving(byte[] frame)
    {
        await using var server = await TestServer.StartAsync();
        var uri = new Uri(server.BaseUrl);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(uri.Host, uri.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes("GET /v1/listen?encoding=linear16&sample_rate=16000 HTTP/1.1\r\nHost: x\r\n" +
            "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"));
        var received = new List<byte>();
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!Encoding.ASCII.GetString(received.ToArray()).Contains("\r\n\r\n"))
            received.AddRange(buffer.AsSpan(0, await stream.ReadAsync(buffer, timeout.Token)).ToArray());
        var head = Encoding.ASCII.GetString(received.ToArray());
        Assert.StartsWith("HTTP/1.1 101", head);
        received.RemoveRange(0, head.IndexOf("\r\n\r\n") + 4);

        await stream.WriteAsync(frame);
        int n;
        // The server sends its close frame (opcode 8) with status 1002, protocol error, and ends the connection; the
        // end may come as a reset (the server's WebSocket drops the connection at once), which can overtake the frame.
        try
        {
            while ((n = await stream.ReadAsync(buffer, timeout.Token)) > 0) received.AddRange(buffer.AsSpan(0, n).ToArray());
        }
        catch (IOException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionReset }) { }
        if (received.Count > 0)
        {
            Assert.Equal(0x88, received[0]);
            Assert.Equal(1002, received[2] << 8 | received[3]);
        }
        await server.AssertStillServing();
        Assert.Contains(server.Log.ToString().Split('\n'), l => l.Contains("\"GET /v1/listen?") && l.Contains("close=1002 protocol error"));
    }

    [Fact]
    public async Task A_client_that_goes_quiet_is_closed_after_the_idle_timeout()
    {
        await using var server = await TestServer.StartAsync(new ServeOptions { LiveIdleTimeout = TimeSpan.FromSeconds(1) });
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(LiveUri(server, "?encoding=linear16&sample_rate=16000"), default);
        await SendPcm(socket, Pcm("rx-val-000")[..8000]);
        var (messages, close) = await ReadAll(socket);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, close);
        AssertErrorMessage(messages[^1]);
        Assert.Equal("NET-0001", messages[^1].GetProperty("err_code").GetString());
        await server.AssertStillServing();
    }

    [Fact]
    public async Task A_client_that_stops_reading_results_is_disconnected_after_the_send_timeout_and_the_server_keeps_serving()
    {
        // Short segments and an interim result every 20 ms of audio: many result messages for little computation.
        var options = new ServeOptions
        {
            Settings = new ServerSettings { SendTimeoutSeconds = 1 },
            Chunking = new LiveChunking(SegmentSeconds: 0.3, CutSearchSeconds: 0.1, LeftContextSeconds: 0, RightContextSeconds: 0,
                PieceSeconds: 0, InterimSeconds: 0.02, EndpointSeconds: 0),
        };
        await using var server = await TestServer.StartAsync(options);
        // The client's socket holds little (a small receive buffer; a small segment size, so that the server's kernel
        // sizes its send buffer small too). It sends audio and never reads a result.
        using var handler = new SocketsHttpHandler { ConnectCallback = SmallBufferConnect };
        using var invoker = new HttpMessageInvoker(handler);
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(LiveUri(server, "?encoding=linear16&sample_rate=16000&interim_results=true"), invoker, default);
        using var stopSending = new CancellationTokenSource();
        var sending = Task.Run(async () =>
        {
            var pcm = Pcm("rx-val-003");
            for (int at = 0; !stopSending.IsCancellationRequested; at = (at + 640) % (pcm.Length - 640))
                await socket.SendAsync(pcm.AsMemory(at, 640), WebSocketMessageType.Binary, true, stopSending.Token);
        });

        // The session ends once a result waited a second to be sent: the live request is logged and counted.
        var deadline = DateTime.UtcNow.AddSeconds(120);
        string metrics;
        while (!(metrics = await server.Http.GetStringAsync("/metrics")).Contains("dgtools_requests_total{endpoint=\"live\",status=\"101\"} 1"))
        {
            Assert.True(DateTime.UtcNow < deadline, "the session was not ended within 120 s\n" + metrics);
            await Task.Delay(200);
        }
        Assert.Contains("dgtools_live_sessions 0", metrics);
        Assert.Contains("dgtools_queue_depth 0", metrics);
        Assert.Contains(server.Log.ToString().Split('\n'), l => l.Contains("\"GET /v1/listen?") && l.Contains("close=1006 send timeout"));
        // The connection was reset, not left open: the client, reading now, gets the results that were buffered and
        // then an error, no close frame; its sending fails.
        stopSending.CancelAfter(TimeSpan.FromSeconds(30));
        await Assert.ThrowsAnyAsync<Exception>(() => sending);
        await Assert.ThrowsAsync<WebSocketException>(() => ReadAll(socket));
        await server.AssertStillServing();
    }

    private static async ValueTask<Stream> SmallBufferConnect(SocketsHttpConnectionContext context, CancellationToken cancel)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096, NoDelay = true };
        if (OperatingSystem.IsLinux()) socket.SetRawSocketOption(6 /* IPPROTO_TCP */, 2 /* TCP_MAXSEG */, BitConverter.GetBytes(536));
        await socket.ConnectAsync(context.DnsEndPoint, cancel);
        return new NetworkStream(socket, ownsSocket: true);
    }

    [Fact]
    public async Task Upgrade_requests_with_a_wrong_key_or_unknown_model_get_the_http_error()
    {
        var options = new ServeOptions { Settings = new DgTools.Configuration.ServerSettings { Keys = ["live-key-1234"] } };
        await using var server = await TestServer.StartAsync(options);
        using (var socket = new ClientWebSocket())
        {
            socket.Options.CollectHttpResponseDetails = true;
            socket.Options.SetRequestHeader("Authorization", "Token wrong-key-999");
            await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(LiveUri(server, "?encoding=linear16&sample_rate=16000"), default));
            Assert.Equal(401, (int)socket.HttpStatusCode);
        }
        using (var socket = new ClientWebSocket())
        {
            socket.Options.CollectHttpResponseDetails = true;
            socket.Options.SetRequestHeader("Authorization", "Token live-key-1234");
            await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(LiveUri(server, "?model=nova-3&encoding=linear16&sample_rate=16000"), default));
            Assert.Equal(404, (int)socket.HttpStatusCode);
        }
        // The browser way: the key as the subprotocol pair "token, KEY".
        using (var socket = new ClientWebSocket())
        {
            socket.Options.AddSubProtocol("token");
            socket.Options.AddSubProtocol("live-key-1234");
            await socket.ConnectAsync(LiveUri(server, "?encoding=linear16&sample_rate=16000"), default);
            await SendPcm(socket, Pcm("rx-val-000"));
            await SendText(socket, "{\"type\":\"CloseStream\"}");
            var (messages, close) = await ReadAll(socket);
            Assert.Equal(WebSocketCloseStatus.NormalClosure, close);
            Assert.Equal("Metadata", messages[^1].GetProperty("type").GetString());
        }
    }
}
