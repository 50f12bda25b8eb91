// dgtools.toml in the resource directory. The DGTools guide's [license] table is accepted and ignored (dgtools needs
// no licence); [runtime] holds defaults that command-line options override; [server] configures `dgtools serve`.
using Tomlyn;
using Tomlyn.Model;

namespace DgTools.Configuration;

public sealed record Settings
{
    /// <summary>auto | cpu | cuda.</summary>
    public string Device { get; init; } = "auto";
    /// <summary>Torch intra-op threads; 0 means all cores.</summary>
    public int Threads { get; init; }
    /// <summary>True when the file has the guide's [license] table (ignored; worth one quiet note).</summary>
    public bool HasLicenseTable { get; init; }
    public ServerSettings Server { get; init; } = new();

    public static Settings Load(string path)
    {
        if (!File.Exists(path)) return new Settings();
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigError($"cannot read settings: {e.Message}", path, e);
        }
        return Parse(text, path);
    }

    public static Settings Parse(string text, string path)
    {
        TomlTable table;
        try { table = TomlSerializer.Deserialize<TomlTable>(text)!; }
        catch (Exception e) when (e is TomlException or ArgumentException) // ArgumentException: "\uD800" escapes (fuzz finding)
        {
            throw new ConfigError($"malformed dgtools.toml: {e.Message.Split('\n')[0].Trim()}", path, e);
        }

        var settings = new Settings { HasLicenseTable = table.ContainsKey("license") };
        foreach (var key in table.Keys)
        {
            if (key is not ("license" or "runtime" or "server")) throw new ConfigError($"unknown table or key '{key}' in dgtools.toml", path);
        }
        if (table.TryGetValue("server", out var serverObj))
            settings = settings with { Server = ServerSettings.Parse(serverObj, path) };
        if (!table.TryGetValue("runtime", out var runtimeObj)) return settings;
        if (runtimeObj is not TomlTable runtime) throw new ConfigError("'runtime' in dgtools.toml must be a table", path);
        foreach (var (key, value) in runtime)
        {
            switch (key)
            {
                case "device" when value is string d && d is "auto" or "cpu" or "cuda":
                    settings = settings with { Device = (string)value };
                    break;
                case "device":
                    throw new ConfigError("runtime.device in dgtools.toml must be \"auto\", \"cpu\" or \"cuda\"", path);
                case "threads" when value is long n && n >= 0 && n <= 1024:
                    settings = settings with { Threads = (int)n };
                    break;
                case "threads":
                    throw new ConfigError("runtime.threads in dgtools.toml must be a whole number from 0 to 1024", path);
                default:
                    throw new ConfigError($"unknown key 'runtime.{key}' in dgtools.toml", path);
            }
        }
        return settings;
    }
}

/// <summary>The [server] table: who may call `dgtools serve`, and how much it takes in.</summary>
public sealed record ServerSettings
{
    /// <summary>API keys accepted as "Authorization: Token KEY"; none: the server binds to loopback only.</summary>
    public IReadOnlyList<string> Keys { get; init; } = [];
    /// <summary>Largest request body (pre-recorded audio) in megabytes.</summary>
    public int MaxRequestMegabytes { get; init; } = 100;
    /// <summary>Longest audio a request or live session may carry, in seconds.</summary>
    public int MaxAudioSeconds { get; init; } = 3600;
    /// <summary>Requests waiting for the model beyond those being recognised; more are answered 429.</summary>
    public int QueueLimit { get; init; } = 64;
    /// <summary>A live client that has not accepted a result message after this many seconds (it stopped reading) is
    /// disconnected.</summary>
    public int SendTimeoutSeconds { get; init; } = 10;

    internal static ServerSettings Parse(object value, string path)
    {
        if (value is not TomlTable table) throw new ConfigError("'server' in dgtools.toml must be a table", path);
        var settings = new ServerSettings();
        foreach (var (key, v) in table)
        {
            settings = key switch
            {
                "keys" when v is TomlArray a && a.All(k => k is string s && s.Length >= 8 && !s.Any(char.IsWhiteSpace)) =>
                    settings with { Keys = a.Cast<string>().ToList() },
                "keys" => throw new ConfigError("server.keys in dgtools.toml must be a list of strings of 8 or more characters without spaces", path),
                "max_request_mb" => settings with { MaxRequestMegabytes = Whole(key, v, 1, 2048, path) },
                "max_audio_seconds" => settings with { MaxAudioSeconds = Whole(key, v, 1, 86_400, path) },
                "queue_limit" => settings with { QueueLimit = Whole(key, v, 1, 100_000, path) },
                "send_timeout_seconds" => settings with { SendTimeoutSeconds = Whole(key, v, 1, 600, path) },
                _ => throw new ConfigError($"unknown key 'server.{key}' in dgtools.toml", path),
            };
        }
        return settings;
    }

    private static int Whole(string key, object value, int min, int max, string path) =>
        value is long n && n >= min && n <= max ? (int)n
            : throw new ConfigError($"server.{key} in dgtools.toml must be a whole number from {min} to {max}", path);
}
