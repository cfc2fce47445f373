using System.Diagnostics;
using System.Globalization;

namespace DistributedSync.Bson.Tests.Interop;

/// <summary>
/// Shared state of the js-bson cross-check: the seed, the located oracle, a scratch folder and
/// the documents js-bson generated (made once, on first use, by <c>bson-oracle.mjs generate</c>).
/// </summary>
public sealed class JsBsonOracleFixture : IDisposable
{
    /// <summary>Environment variable that overrides the seed.</summary>
    public const string SeedVariable = "DISTRIBUTEDSYNC_INTEROP_SEED";

    /// <summary>Environment variable that overrides the number of documents (at least 10,000).</summary>
    public const string CountVariable = "DISTRIBUTEDSYNC_INTEROP_COUNT";

    /// <summary>The seed used when <see cref="SeedVariable"/> is unset.</summary>
    public const int DefaultSeed = 20250611;

    /// <summary>The fewest documents generated per run.</summary>
    public const int MinimumCount = 10_000;

    /// <summary>How long one node run may take before it is killed and the test fails.</summary>
    public static readonly TimeSpan NodeDeadline = TimeSpan.FromSeconds(120);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Lazy<string> _workDirectory = new(() =>
        Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "ds-interop-" + Guid.NewGuid().ToString("N"))).FullName);

    private JsGeneratedSet? _generated;

    /// <summary>Reads the seed and count and locates node and the npm oracles.</summary>
    public JsBsonOracleFixture()
    {
        Seed = ReadVariable(SeedVariable, DefaultSeed);
        Count = Math.Max(MinimumCount, ReadVariable(CountVariable, MinimumCount));
        Oracle = NodeOracle.Find(out var missing);
        Missing = missing;
    }

    /// <summary>The PRNG seed of both generators (js-bson's and ours).</summary>
    public int Seed { get; }

    /// <summary>The number of documents js-bson generates.</summary>
    public int Count { get; }

    /// <summary>Why the oracle cannot run, when <see cref="Oracle"/> is null.</summary>
    public string Missing { get; }

    internal NodeOracle? Oracle { get; }

    /// <summary>A scratch folder, deleted with the fixture.</summary>
    public string WorkDirectory => _workDirectory.Value;

    /// <summary>How to reproduce this run, for the test output.</summary>
    public string Describe()
        => $"js-bson oracle: seed {Seed}, {Count} documents (override with {SeedVariable}=N and {CountVariable}=N)";

    /// <summary>The documents js-bson generated for <see cref="Seed"/>, made on first call.</summary>
    internal async Task<JsGeneratedSet> GetGeneratedAsync(CancellationToken cancellationToken)
    {
        if (Oracle is null)
        {
            throw new InvalidOperationException(Missing);
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_generated is null)
            {
                var file = Path.Combine(WorkDirectory, "js-generated.bson");
                var watch = Stopwatch.StartNew();
                var summary = await Oracle.RunAsync(
                    "bson-oracle.mjs",
                    ["generate", "--seed", Seed.ToString(CultureInfo.InvariantCulture), "--count", Count.ToString(CultureInfo.InvariantCulture), "--out", file],
                    NodeDeadline,
                    cancellationToken).ConfigureAwait(false);
                var stream = await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false);
                _generated = new JsGeneratedSet(stream, BsonStream.Split(stream), summary.Trim(), watch.Elapsed);
            }

            return _generated;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _gate.Dispose();
        if (_workDirectory.IsValueCreated)
        {
            try
            {
                Directory.Delete(_workDirectory.Value, recursive: true);
            }
            catch (IOException)
            {
                // A scratch folder left in the temp directory is harmless.
            }
        }
    }

    private static int ReadVariable(string name, int fallback)
    {
        var text = Environment.GetEnvironmentVariable(name);
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : fallback;
    }
}

/// <summary>The documents js-bson generated: the raw stream, each document's bytes, its summary line.</summary>
internal sealed record JsGeneratedSet(byte[] Stream, List<ReadOnlyMemory<byte>> Documents, string Summary, TimeSpan Elapsed);
