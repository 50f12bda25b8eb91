// Load test of `dgtools serve`: CLIENTS concurrent clients POST the given audio files (round robin) to /v1/listen on
// loopback for SECONDS, then stop (bounded in count and time). Reports throughput in audio seconds per second,
// latency percentiles, errors by status, and the server's resident memory sampled every second (peak, and the mean
// of the first and last quarter of the run: flat memory means they agree).
// usage: LoadBench URL SERVER_PID CLIENTS SECONDS FILE_LIST [API_KEY]
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;

var url = args[0];
int pid = int.Parse(args[1]), clients = int.Parse(args[2]);
var duration = TimeSpan.FromSeconds(double.Parse(args[3]));
var files = File.ReadAllLines(args[4]).Where(l => l.Length > 0).Select(f => (Path: f, Bytes: File.ReadAllBytes(f))).ToList();
var key = args.Length > 5 ? args[5] : null;

using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(120) };
http.DefaultRequestHeaders.ConnectionClose = false;
if (key is not null) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Token", key);

var latencies = new List<double>();
var errors = new Dictionary<string, int>();
double audioSeconds = 0;
int next = 0, requests = 0;
var memory = new List<(double Seconds, long RssKb)>();
var watch = Stopwatch.StartNew();
using var stop = new CancellationTokenSource(duration);

long Rss()
{
    foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        if (line.StartsWith("VmRSS:")) return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
    return 0;
}

var sampler = Task.Run(async () =>
{
    while (!stop.IsCancellationRequested)
    {
        lock (memory) memory.Add((watch.Elapsed.TotalSeconds, Rss()));
        try { await Task.Delay(1000, stop.Token); } catch (OperationCanceledException) { }
    }
});

async Task Client()
{
    while (!stop.IsCancellationRequested)
    {
        var file = files[Interlocked.Increment(ref next) % files.Count];
        using var content = new ByteArrayContent(file.Bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("audio/wav");
        var started = watch.Elapsed.TotalSeconds;
        try
        {
            // A request started before the end runs to completion: every answer counts.
            using var response = await http.PostAsync("/v1/listen", content);
            var body = await response.Content.ReadAsStringAsync();
            var took = watch.Elapsed.TotalSeconds - started;
            lock (latencies)
            {
                requests++;
                if (!response.IsSuccessStatusCode) { errors[((int)response.StatusCode).ToString()] = errors.GetValueOrDefault(((int)response.StatusCode).ToString()) + 1; continue; }
                using var doc = JsonDocument.Parse(body);
                audioSeconds += doc.RootElement.GetProperty("metadata").GetProperty("duration").GetDouble();
                latencies.Add(took);
            }
        }
        catch (Exception e)
        {
            lock (latencies) { requests++; errors[e.GetType().Name] = errors.GetValueOrDefault(e.GetType().Name) + 1; }
        }
    }
}

await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(Client)));
double elapsed = watch.Elapsed.TotalSeconds;
await sampler;
memory.Add((elapsed, Rss()));

latencies.Sort();
double P(double q) => latencies.Count == 0 ? double.NaN : latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(q * latencies.Count) - 1)];
int quarter = Math.Max(1, memory.Count / 4);
var result = new
{
    clients,
    seconds = Math.Round(elapsed, 1),
    files = files.Count,
    requests,
    ok = latencies.Count,
    errors,
    audio_seconds = Math.Round(audioSeconds, 1),
    throughput_audio_s_per_s = Math.Round(audioSeconds / elapsed, 2),
    latency_s = new { p50 = Math.Round(P(0.50), 3), p95 = Math.Round(P(0.95), 3), p99 = Math.Round(P(0.99), 3), max = Math.Round(latencies.LastOrDefault(), 3) },
    rss_mb = new
    {
        peak = memory.Max(m => m.RssKb) / 1024,
        first_quarter_mean = (long)memory.Take(quarter).Average(m => m.RssKb) / 1024,
        last_quarter_mean = (long)memory.TakeLast(quarter).Average(m => m.RssKb) / 1024,
        every_10s = memory.Where((m, i) => i % 10 == 0).Select(m => m.RssKb / 1024).ToList(),
    },
};
Console.WriteLine(JsonSerializer.Serialize(result));
