using System.Globalization;

namespace DistributedSync.Emulator.Tests.Fuzz;

/// <summary>
/// How a fuzz run is sized and seeded. The seed is random unless <c>DISTSYNC_FUZZ_SEED</c> sets
/// it (the test prints the seed it used, so a failing run can be replayed exactly: the inputs
/// depend only on the seed, never on the server's answers); <c>DISTSYNC_FUZZ_INPUTS</c> sets the
/// number of inputs (default 100,000).
/// </summary>
internal sealed record FuzzSettings(int Seed, int Inputs, int Workers)
{
    public const string SeedVariable = "DISTSYNC_FUZZ_SEED";
    public const string InputsVariable = "DISTSYNC_FUZZ_INPUTS";
    public const int DefaultInputs = 100_000;

    /// <summary>Per input: how long the server may take to answer or close before it counts as a hang.</summary>
    public static TimeSpan InputDeadline { get; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the canary connection may wait for its hello answer.</summary>
    public static TimeSpan CanaryDeadline { get; } = TimeSpan.FromSeconds(10);

    /// <summary>The canary connection is checked after every this many inputs.</summary>
    public const int CanaryEvery = 2_000;

    public static FuzzSettings FromEnvironment()
    {
        var seed = ReadInt(SeedVariable) ?? Random.Shared.Next(1, int.MaxValue);
        var inputs = ReadInt(InputsVariable) ?? DefaultInputs;
        if (inputs <= 0)
        {
            throw new InvalidOperationException($"{InputsVariable} must be a positive number.");
        }

        return new FuzzSettings(seed, inputs, Workers: 4);
    }

    private static int? ReadInt(string variable)
        => Environment.GetEnvironmentVariable(variable) is { Length: > 0 } text
            ? int.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture)
            : null;
}
