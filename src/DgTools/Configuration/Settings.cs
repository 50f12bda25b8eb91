// dgtools.toml in the resource directory. The DGTools guide's [license] table is accepted and ignored (dgtools needs
// no licence); [runtime] holds defaults that command-line options override.
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
            if (key is not ("license" or "runtime")) throw new ConfigError($"unknown table or key '{key}' in dgtools.toml", path);
        }
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
