using DgTools.Decoding;
using DgTools.Model;
using DgTools.Server;
using DgTools.Tests.TestSupport;

namespace DgTools.Tests.Serving;

/// <summary>A ListenServer on a free loopback port serving the bundled general English model.</summary>
public sealed class TestServer : IAsyncDisposable
{
    public static string ModelPath => Path.Combine(RepoPaths.Root, "models", "general-en.dg");
    public static string Pharmacy(string id) => Path.Combine(RepoPaths.Root, "demo", "dgdatasets", "pharmacy", id + ".wav");

    private static readonly Lazy<DgModel> Model = new(() => ModelFile.Read(ModelPath, ModelArchitecture.ExpectedShapes));

    private TestServer(ListenServer server, StringWriter log, string? key)
    {
        Server = server;
        Key = key;
        Log = log;
        BaseUrl = server.Addresses[0];
        Http = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(120) };
    }

    public ListenServer Server { get; }
    public StringWriter Log { get; }
    public string BaseUrl { get; }
    public HttpClient Http { get; }
    /// <summary>The first configured API key (null: the server takes none).</summary>
    public string? Key { get; }

    public static async Task<TestServer> StartAsync(ServeOptions? options = null)
    {
        options = (options ?? new ServeOptions()) with { Port = 0 };
        var models = new ServedModels([new ServedModel("general-en", new SpeechRecognizer(Model.Value, ModelPath))]);
        var log = new StringWriter();
        return new TestServer(await ListenServer.StartAsync(options, models, log), log, options.Settings.Keys.FirstOrDefault());
    }

    /// <summary>The server still answers: /healthz is ok and a real request is recognised.</summary>
    public async Task AssertStillServing()
    {
        var health = await Http.GetAsync("/healthz");
        Xunit.Assert.Equal(200, (int)health.StatusCode);
        using var body = new ByteArrayContent(await File.ReadAllBytesAsync(Pharmacy("rx-val-000")));
        body.Headers.ContentType = new("audio/wav");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/listen") { Content = body };
        if (Key is not null) request.Headers.Authorization = new("Token", Key);
        var response = await Http.SendAsync(request);
        Xunit.Assert.Equal(200, (int)response.StatusCode);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.StopAsync();
        await Server.DisposeAsync();
        Server.Models.Dispose();
    }
}
