using DgTools.Model;

namespace DgTools.Cli.Commands;

/// <summary>How commands read a model: validated against its architecture, with the note about a file whose integrity
/// cannot be checked (no checksum) printed on stderr.</summary>
internal static class ModelFiles
{
    public static DgModel Read(CliEnvironment env, string path)
    {
        var model = ModelFile.Read(path, ModelArchitecture.ExpectedShapes);
        if (ModelFile.UncheckedNote(model, path) is { } note) env.Err.WriteLine($"note: {note}");
        return model;
    }
}
