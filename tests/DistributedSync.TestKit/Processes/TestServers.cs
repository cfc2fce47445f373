namespace DistributedSync.TestKit.Processes;

/// <summary>A MongoDB server a test talks to: an emulator process, or a real server given by URI.</summary>
public interface ITestServer : IAsyncDisposable
{
    /// <summary>The <c>mongodb://</c> URI to connect with.</summary>
    string ConnectionString { get; }

    /// <summary>The emulator process, or null for an external real server (which cannot be killed or paused).</summary>
    EmulatorProcess? Emulator { get; }
}

/// <summary>
/// Chooses the servers tests run against. When the environment variable
/// <c>DISTSYNC_TEST_MONGODB_URIS</c> holds <c>mongodb://</c> URIs (separated by ';' or whitespace) of real
/// standalone servers, tests target those; otherwise each test starts emulator processes.
/// </summary>
public static class TestServers
{
    /// <summary>The environment variable naming real servers.</summary>
    public const string EnvironmentVariable = "DISTSYNC_TEST_MONGODB_URIS";

    /// <summary>The real servers' URIs from <see cref="EnvironmentVariable"/> (empty when unset).</summary>
    public static IReadOnlyList<string> ExternalUris { get; } = Parse(Environment.GetEnvironmentVariable(EnvironmentVariable));

    /// <summary>True when tests target real servers.</summary>
    public static bool UsesExternalServers => ExternalUris.Count > 0;

    /// <summary>Whether <paramref name="count"/> servers can be provided; otherwise why not (a skip reason).</summary>
    public static bool CanProvide(int count, out string? reason)
    {
        if (UsesExternalServers && count > ExternalUris.Count)
        {
            reason = $"{EnvironmentVariable} names {ExternalUris.Count} server(s); this test needs {count}.";
            return false;
        }

        reason = null;
        return true;
    }

    /// <summary>
    /// <paramref name="count"/> servers: the first external URIs, or freshly started emulator
    /// processes (with <paramref name="options"/>, each with its own temporary data directory).
    /// </summary>
    /// <exception cref="InvalidOperationException">Fewer external servers are configured than asked for.</exception>
    public static async Task<IReadOnlyList<ITestServer>> StartAsync(int count, EmulatorProcessOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        if (!CanProvide(count, out var reason))
        {
            throw new InvalidOperationException(reason);
        }

        if (UsesExternalServers)
        {
            return [.. ExternalUris.Take(count).Select(uri => (ITestServer)new ExternalServer(uri))];
        }

        var tasks = Enumerable.Range(0, count).Select(_ => EmulatorProcess.StartAsync(options, cancellationToken)).ToList();
        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch
        {
            foreach (var task in tasks.Where(t => t.IsCompletedSuccessfully))
            {
                await task.Result.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }

        return [.. tasks.Select(t => (ITestServer)new EmulatorServer(t.Result))];
    }

    /// <summary>Splits the variable's value into URIs (separated by ';' or whitespace).</summary>
    public static IReadOnlyList<string> Parse(string? value)
        => string.IsNullOrWhiteSpace(value)
            ? []
            : [.. value.Split([';', ' ', '\t', '\r', '\n'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];

    private sealed class ExternalServer(string uri) : ITestServer
    {
        public string ConnectionString => uri;

        public EmulatorProcess? Emulator => null;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class EmulatorServer(EmulatorProcess process) : ITestServer
    {
        public string ConnectionString => process.ConnectionString;

        public EmulatorProcess? Emulator => process;

        public ValueTask DisposeAsync() => process.DisposeAsync();
    }
}
