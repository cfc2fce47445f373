namespace DistributedSync.TestKit.Processes;

/// <summary>The <c>dotnet</c> executable that child processes (emulator, daemon) run on.</summary>
internal static class DotnetHost
{
    /// <summary><c>DOTNET_HOST_PATH</c> when set, else the running host when it is dotnet, else <c>dotnet</c> from PATH.</summary>
    public static string Path
    {
        get
        {
            if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
            {
                return host;
            }

            var current = Environment.ProcessPath;
            return current is not null && System.IO.Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
        }
    }
}
