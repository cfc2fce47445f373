namespace DistributedSync.Emulator.Tests.Storage;

/// <summary>A fresh data directory under the temp folder, deleted on dispose.</summary>
internal sealed class TempDbPath : IDisposable
{
    public TempDbPath() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "distsync-test-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder is harmless.
        }
    }
}
