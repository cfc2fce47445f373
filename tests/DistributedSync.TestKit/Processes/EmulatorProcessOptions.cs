namespace DistributedSync.TestKit.Processes;

/// <summary>How an <see cref="EmulatorProcess"/> is started.</summary>
public sealed record EmulatorProcessOptions
{
    /// <summary>The data directory; null for a fresh temporary one, deleted when the process is disposed.</summary>
    public string? DbPath { get; init; }

    /// <summary>The port; 0 (the default) lets the emulator pick a free one.</summary>
    public int Port { get; init; }

    /// <summary>Start with <c>--auth</c>.</summary>
    public bool Auth { get; init; }

    /// <summary>The root user (<c>--user</c>), or null.</summary>
    public string? User { get; init; }

    /// <summary>The root user's password (<c>--password</c>), or null.</summary>
    public string? Password { get; init; }

    /// <summary>More flags, appended as given.</summary>
    public IReadOnlyList<string> ExtraArguments { get; init; } = [];

    /// <summary>How long to wait for "Waiting for connections".</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The emulator's DistributedSync.Emulator.dll; null to locate it (see
    /// <see cref="EmulatorProcess.LocateEmulatorDll"/>).
    /// </summary>
    public string? EmulatorDll { get; init; }

    /// <summary>A root user and password for <c>--auth</c> tests.</summary>
    public static EmulatorProcessOptions WithRootUser(string user = "root", string password = "root-password")
        => new() { Auth = true, User = user, Password = password };
}
