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
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DistributedSync.sln")))
            {
                var candidate = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", relative));
                return Directory.Exists(candidate) || File.Exists(candidate) ? candidate : null;
            }

            dir = dir.Parent;
        }

        return null;
    }

    /// <summary>The skip reason for a missing shared folder.</summary>
    public static string MissingMessage(string relative)
        => $"The conformance data folder '../shared/{relative}' (beside the project root) is absent; these tests need it.";

    /// <summary>The repository root (the folder holding DistributedSync.sln).</summary>
    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "DistributedSync.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("DistributedSync.sln not found above " + AppContext.BaseDirectory);
    }
}
