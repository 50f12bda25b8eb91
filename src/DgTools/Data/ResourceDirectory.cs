// The DGTools resource directory ($DGTOOLS_RESOURCE_DIR, default $HOME/dgtools) and where everything lives in it.
// The guide runs DGTools in a container that mounts this directory at /dgtraining; we map such paths back so the
// guide's commands work unchanged.
namespace DgTools.Data;

public sealed class ResourceDirectory
{
    public const string EnvironmentVariable = "DGTOOLS_RESOURCE_DIR";
    public const string ContainerMount = "/dgtraining";

    public ResourceDirectory(string root) => Root = System.IO.Path.GetFullPath(root);

    public string Root { get; }

    /// <summary>From the environment: $DGTOOLS_RESOURCE_DIR, else $HOME/dgtools.</summary>
    public static ResourceDirectory FromEnvironment()
    {
        var fromEnv = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnv)) return new ResourceDirectory(fromEnv);
        var home = Environment.GetEnvironmentVariable("HOME");
        if (string.IsNullOrEmpty(home)) home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return new ResourceDirectory(System.IO.Path.Combine(home, "dgtools"));
    }

    public string ConfigFile => System.IO.Path.Combine(Root, "dgtools.toml");

    /// <summary>English data sets may sit directly under the root; every language may use &lt;lang&gt;/dgdatasets.</summary>
    public string DatasetsRoot(string language) =>
        language == "en" && !Directory.Exists(System.IO.Path.Combine(Root, "en", "dgdatasets"))
            ? System.IO.Path.Combine(Root, "dgdatasets")
            : System.IO.Path.Combine(Root, language, "dgdatasets");

    public string TrainMetaDir => System.IO.Path.Combine(Root, ".train_meta");
    public string SplitsFile => System.IO.Path.Combine(TrainMetaDir, "datasetsplits.meta_jm");
    public string FeaturesCacheDir => System.IO.Path.Combine(Root, ".features_cache");
    public string DatasetsListFile => System.IO.Path.Combine(Root, "datasets.lst");

    /// <summary>Maps "/dgtraining/..." (the guide's container mount) onto this directory; other paths are returned full.</summary>
    public string MapPath(string path)
    {
        if (path == ContainerMount) return Root;
        if (path.StartsWith(ContainerMount + "/", StringComparison.Ordinal))
            return System.IO.Path.Combine(Root, path[(ContainerMount.Length + 1)..]);
        return System.IO.Path.GetFullPath(path);
    }
}
