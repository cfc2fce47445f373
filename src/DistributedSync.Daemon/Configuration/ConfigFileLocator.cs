using Microsoft.Extensions.Configuration;

namespace DistributedSync.Daemon.Configuration;

/// <summary>
/// Chooses the daemon's JSON configuration file and layers the configuration sources.
/// </summary>
/// <remarks>
/// <para>The file is, in order of preference:</para>
/// <list type="number">
/// <item>the path given with <c>--config &lt;path&gt;</c> on the command line, or in the
/// <c>DISTSYNC_CONFIG</c> environment variable (it must exist);</item>
/// <item><c>config/appsettings.json</c> under the working directory (a run from the repository root);</item>
/// <item><c>config/appsettings.json</c> beside the daemon's binaries (the build copies it there).</item>
/// </list>
/// <para>Sources, later ones winning: that file, then environment variables
/// (<c>DistributedSync__Nodes__0__Uri</c>), then the command line
/// (<c>--DistributedSync:Http:Urls=http://127.0.0.1:6000</c>).</para>
/// </remarks>
public static class ConfigFileLocator
{
    /// <summary>The command-line key naming the configuration file (<c>--config path</c>).</summary>
    public const string ConfigKey = "config";

    /// <summary>The environment variable naming the configuration file.</summary>
    public const string ConfigEnvironmentVariable = "DISTSYNC_CONFIG";

    /// <summary>The default file, relative to the working directory or the binaries.</summary>
    public static readonly string DefaultRelativePath = Path.Combine("config", "appsettings.json");

    /// <summary>
    /// The configuration file to load, as an absolute path, or null when no file was named and
    /// none of the default places holds one.
    /// </summary>
    /// <param name="args">The command line.</param>
    /// <param name="workingDirectory">The working directory.</param>
    /// <param name="baseDirectory">The folder of the daemon's binaries.</param>
    /// <param name="environment">Reads an environment variable.</param>
    /// <exception cref="FileNotFoundException">A file was named but does not exist.</exception>
    public static string? Locate(IReadOnlyList<string> args, string workingDirectory, string baseDirectory, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        var named = new ConfigurationBuilder().AddCommandLine([.. args]).Build()[ConfigKey];
        var source = "--config";
        if (string.IsNullOrWhiteSpace(named))
        {
            named = environment(ConfigEnvironmentVariable);
            source = ConfigEnvironmentVariable;
        }

        if (!string.IsNullOrWhiteSpace(named))
        {
            var path = Path.GetFullPath(named, workingDirectory);
            return File.Exists(path)
                ? path
                : throw new FileNotFoundException($"The configuration file named by {source} does not exist: {path}", path);
        }

        foreach (var folder in new[] { workingDirectory, baseDirectory })
        {
            var candidate = Path.GetFullPath(DefaultRelativePath, folder);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Replaces the sources of <paramref name="configuration"/> by the file (if any), environment variables and the command line.</summary>
    public static void ApplySources(IConfigurationBuilder configuration, string? file, IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(args);
        configuration.Sources.Clear();
        if (file is not null)
        {
            configuration.AddJsonFile(file, optional: false, reloadOnChange: false);
        }

        configuration.AddEnvironmentVariables();
        configuration.AddCommandLine([.. args]);
    }
}
