namespace DistributedSync.TestKit;

/// <summary>
/// Locates <c>../shared</c> (the conformance data every developer and CI run has beside the
/// project). A fresh clone alone has no such folder: callers skip their tests with
/// <see cref="MissingMessage"/>, which names the folder looked for.
/// </summary>
public static class SharedData
{
    /// <summary>The path of <c>shared/&lt;relative&gt;</c>, or null when it is absent.</summary>
    public static string? Find(string relative)
    {
        var root = TryRepositoryRoot();
        if (root is null)
        {
            return null;
        }

        var candidate = Path.GetFullPath(Path.Combine(root, "..", "shared", relative));
        return Directory.Exists(candidate) || File.Exists(candidate) ? candidate : null;
    }

    /// <summary>The skip reason for a missing shared folder.</summary>
    public static string MissingMessage(string relative)
        => $"The conformance data folder '../shared/{relative}' (beside the project root) is absent; these tests need it.";

    /// <summary>The repository root (the folder holding DistributedSync.sln).</summary>
    public static string RepositoryRoot()
        => TryRepositoryRoot() ?? throw new InvalidOperationException("DistributedSync.sln not found above " + AppContext.BaseDirectory);

    // The folder of the test binaries when it lies inside the repository, else the folder the
    // TestKit was built from (recorded at build time), so artifacts paths elsewhere still work.
    private static string? TryRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DistributedSync.sln")))
            {
                return dir.FullName;
            }
        }

        var recorded = typeof(SharedData).Assembly
            .GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .OfType<System.Reflection.AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "RepositoryRoot")?.Value;
        return recorded is not null && File.Exists(Path.Combine(recorded, "DistributedSync.sln")) ? recorded : null;
    }
}
