using DistributedSync.TestKit.Processes;
using Xunit;

namespace DistributedSync.Emulator.Tests.Interop;

/// <summary>
/// One server per test class for the interop suites: a fresh emulator process, or the first real
/// server named by <c>DISTSYNC_TEST_MONGODB_URIS</c> (the same suites are the contract both pass).
/// </summary>
public class InteropServerFixture : IAsyncLifetime
{
    private ITestServer? _server;

    /// <summary>The server's <c>mongodb://</c> URI.</summary>
    public string ConnectionString => (_server ?? throw new InvalidOperationException("The server has not been started.")).ConnectionString;

    /// <summary>The emulator process, or null for a real server.</summary>
    public EmulatorProcess? Emulator => _server?.Emulator;

    /// <summary>What the server wrote, for assertion messages (nothing for a real server).</summary>
    public string Diagnostics => Emulator is { } emulator ? "\nemulator " + emulator.Diagnostics : string.Empty;

    /// <inheritdoc />
    public virtual async ValueTask InitializeAsync()
    {
        _server = (await TestServers.StartAsync(1, cancellationToken: TestContext.Current.CancellationToken))[0];
    }

    /// <inheritdoc />
    public virtual async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}
