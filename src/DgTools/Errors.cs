// Typed errors. Library code throws these; the CLI catches them once and prints
// "error: <Message> (<Path>)" with exit code 1. Nothing else should reach the user as a stack trace.
namespace DgTools;

public class DgToolsException(string message, string? path = null, Exception? inner = null)
    : Exception(message, inner)
{
    /// <summary>The file or directory the problem is about, when there is one.</summary>
    public string? Path { get; } = path;

    public string OneLine => Path is null ? Message : $"{Message} ({Path})";
}

/// <summary>A .dg file that cannot be read, or a model that cannot do what was asked.</summary>
public sealed class ModelFileError(string message, string? path = null, Exception? inner = null)
    : DgToolsException(message, path, inner);

/// <summary>A data set, transcript, split file or cache problem that stops the run.</summary>
public sealed class DatasetError(string message, string? path = null, Exception? inner = null)
    : DgToolsException(message, path, inner);

/// <summary>Audio that cannot be decoded.</summary>
public sealed class AudioError(string message, string? path = null, Exception? inner = null)
    : DgToolsException(message, path, inner);

/// <summary>dgtools.toml or another setting is wrong.</summary>
public sealed class ConfigError(string message, string? path = null, Exception? inner = null)
    : DgToolsException(message, path, inner);

/// <summary>A disk filled up while dgtools was writing: the file was not written (or its previous version is intact) and
/// files written before it are complete, so the same command can run again once there is space.</summary>
public sealed class DiskFullError(string message, string? path = null, Exception? inner = null)
    : DgToolsException(message, path, inner);

/// <summary>The run was asked to stop (SIGINT, SIGTERM) and did, cleanly. <see cref="Resumable"/>: its state is saved and
/// the same command continues it.</summary>
public sealed class InterruptedError(string message, bool resumable) : DgToolsException(message)
{
    public bool Resumable { get; } = resumable;
}

/// <summary>An option value that makes no sense (a negative count, a share above 1): the CLI reports it as a usage
/// error (exit 2). Options records validate themselves in the library, so every caller gets the same checks.</summary>
public sealed class OptionError(string message) : DgToolsException(message);
