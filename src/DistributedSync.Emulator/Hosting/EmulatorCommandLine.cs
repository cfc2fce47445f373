using System.CommandLine;
using System.Globalization;

namespace DistributedSync.Emulator.Hosting;

/// <summary>The outcome of parsing the command line.</summary>
/// <param name="Options">The settings to run with, or null when the process should exit.</param>
/// <param name="ExitCode">The exit code when <paramref name="Options"/> is null (0 after --help, 2 for bad flags).</param>
/// <param name="Error">The message explaining a bad command line, or null.</param>
public sealed record CommandLineResult(EmulatorOptions? Options, int ExitCode, string? Error);

/// <summary>
/// The emulator's mongod-style flags (System.CommandLine): <c>--port</c>, <c>--dbpath</c>,
/// <c>--bind_ip</c>, <c>--bind_ip_all</c>, <c>--auth</c>/<c>--noauth</c>, <c>--user</c>,
/// <c>--password</c>, <c>--config</c>/<c>-f</c>, <c>--quiet</c>, <c>--logpath</c>,
/// <c>--logappend</c> and <c>--syncEveryCommit</c>. Flags override the config file.
/// </summary>
public static class EmulatorCommandLine
{
    /// <summary>mongod's exit code for a bad command line.</summary>
    public const int BadOptionsExitCode = 2;

    private sealed class Flags
    {
        public Option<int> Port { get; } = new("--port") { Description = "TCP port to listen on (default 27017; 0 picks a free port)" };

        public Option<string> DbPath { get; } = new("--dbpath") { Description = "Data directory (default ./data/db; created if missing)" };

        public Option<string> BindIp { get; } = new("--bind_ip") { Description = "Comma-separated addresses to listen on (default 127.0.0.1)" };

        public Option<bool> BindIpAll { get; } = new("--bind_ip_all") { Description = "Listen on all IPv4 and IPv6 addresses" };

        public Option<bool> Auth { get; } = new("--auth") { Description = "Require authentication (SCRAM-SHA-1 / SCRAM-SHA-256)" };

        public Option<bool> NoAuth { get; } = new("--noauth") { Description = "Do not require authentication (the default)" };

        public Option<string> User { get; } = new("--user") { Description = "Root user created or updated at start (with --password)" };

        public Option<string> Password { get; } = new("--password") { Description = "Password of the --user root user (only SCRAM credentials are stored)" };

        public Option<string> Config { get; } = new("--config", "-f") { Description = "Config file (mongod YAML subset or JSON) with the same settings" };

        public Option<bool> Quiet { get; } = new("--quiet") { Description = "Quieter logging (no connection or authentication events)" };

        public Option<string> LogPath { get; } = new("--logpath") { Description = "Append the log to this file instead of stdout" };

        public Option<bool> LogAppend { get; } = new("--logappend") { Description = "Accepted for mongod compatibility: the log is always appended" };

        public Option<bool> SyncEveryCommit { get; } = new("--syncEveryCommit") { Description = "fsync every commit (survives power loss; slower)" };

        public RootCommand CreateRoot()
        {
            var root = new RootCommand("DistributedSync MongoDB-compatible emulator node (SQLite storage).")
            {
                Port, DbPath, BindIp, BindIpAll, Auth, NoAuth, User, Password, Config, Quiet, LogPath, LogAppend, SyncEveryCommit,
            };
            return root;
        }
    }

    /// <summary>
    /// Parses <paramref name="args"/>. Help (<c>--help</c>) is written to <paramref name="output"/>
    /// and yields exit code 0; a bad flag or config file yields <see cref="BadOptionsExitCode"/>
    /// with <see cref="CommandLineResult.Error"/> set.
    /// </summary>
    public static CommandLineResult Parse(IReadOnlyList<string> args, TextWriter? output = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        var flags = new Flags();
        var root = flags.CreateRoot();
        var result = root.Parse(args);
        if (result.Errors.Count > 0)
        {
            return Fail(string.Join("; ", result.Errors.Select(e => e.Message)));
        }

        if (result.Action is not null)
        {
            // --help or --version: System.CommandLine prints it.
            var code = result.Invoke(new InvocationConfiguration { Output = output ?? Console.Out, Error = output ?? Console.Error });
            return new CommandLineResult(null, code, null);
        }

        try
        {
            var options = new EmulatorOptions();
            if (Given(result, flags.Config) is { } configPath)
            {
                options = ApplyConfig(options, configPath);
            }

            options = ApplyFlags(options, result, flags);
            options = options with { Argv = RedactArgv(args) };
            Validate(options);
            return new CommandLineResult(options, 0, null);
        }
        catch (FormatException ex)
        {
            return Fail(ex.Message);
        }
        catch (IOException ex)
        {
            return Fail("Cannot read the config file: " + ex.Message);
        }
        catch (UnauthorizedAccessException ex)
        {
            return Fail("Cannot read the config file: " + ex.Message);
        }
    }

    /// <summary>Applies a config file's settings to <paramref name="options"/>.</summary>
    /// <exception cref="FormatException">The file is invalid or a value has the wrong type.</exception>
    public static EmulatorOptions ApplyConfig(EmulatorOptions options, string path)
    {
        ArgumentNullException.ThrowIfNull(options);
        var values = ConfigFile.Load(path);
        options = options with { ConfigPath = path };
        foreach (var (key, value) in values)
        {
            options = key switch
            {
                "net.port" => options with { Port = ParseInt(key, value) },
                "net.bindIp" => options with { BindIp = SplitList(value) },
                "net.bindIpAll" => options with { BindIpAll = ParseBool(key, value) },
                "net.maxIncomingConnections" => options with { MaxIncomingConnections = ParseInt(key, value) },
                "storage.dbPath" => options with { DbPath = value },
                "storage.syncEveryCommit" => options with { SyncEveryCommit = ParseBool(key, value) },
                "security.authorization" => options with { Auth = ParseAuthorization(value) },
                "systemLog.destination" => ValidateDestination(options, value),
                "systemLog.path" => options with { LogPath = value },
                "systemLog.logAppend" => options with { },
                "systemLog.quiet" => options with { Quiet = ParseBool(key, value) },
                "emulator.user" => options with { User = value },
                "emulator.password" => options with { Password = value },
                _ => throw new FormatException("Unrecognized option: " + key),
            };
        }

        return options;
    }

    private static EmulatorOptions ApplyFlags(EmulatorOptions options, ParseResult result, Flags flags)
    {
        if (result.GetResult(flags.Port) is { Implicit: false })
        {
            options = options with { Port = result.GetValue(flags.Port) };
        }

        if (Given(result, flags.DbPath) is { } dbPath)
        {
            options = options with { DbPath = dbPath };
        }

        if (Given(result, flags.BindIp) is { } bindIp)
        {
            options = options with { BindIp = SplitList(bindIp) };
        }

        if (result.GetValue(flags.BindIpAll))
        {
            options = options with { BindIpAll = true };
        }

        if (result.GetValue(flags.Auth) && result.GetValue(flags.NoAuth))
        {
            throw new FormatException("--auth and --noauth cannot both be given");
        }

        if (result.GetValue(flags.Auth) || result.GetValue(flags.NoAuth))
        {
            options = options with { Auth = result.GetValue(flags.Auth) };
        }

        if (Given(result, flags.User) is { } user)
        {
            options = options with { User = user };
        }

        if (Given(result, flags.Password) is { } password)
        {
            options = options with { Password = password };
        }

        if (result.GetValue(flags.Quiet))
        {
            options = options with { Quiet = true };
        }

        if (Given(result, flags.LogPath) is { } logPath)
        {
            options = options with { LogPath = logPath };
        }

        if (result.GetValue(flags.SyncEveryCommit))
        {
            options = options with { SyncEveryCommit = true };
        }

        return options;
    }

    private static void Validate(EmulatorOptions options)
    {
        if (options.Port is < 0 or > 65535)
        {
            throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"port number {options.Port} is out of range (0-65535)"));
        }

        if (string.IsNullOrWhiteSpace(options.DbPath))
        {
            throw new FormatException("dbpath cannot be empty");
        }

        if (!options.BindIpAll && options.BindIp.Count == 0)
        {
            throw new FormatException("bind_ip needs at least one address");
        }

        if (options.MaxIncomingConnections < 1)
        {
            throw new FormatException("maxIncomingConnections must be at least 1");
        }

        if (string.IsNullOrEmpty(options.User) != string.IsNullOrEmpty(options.Password))
        {
            throw new FormatException("--user and --password must be given together");
        }

        if (options.LogPath is { Length: 0 })
        {
            throw new FormatException("logpath cannot be empty");
        }
    }

    private static string? Given(ParseResult result, Option<string> option)
        => result.GetResult(option) is { Implicit: false } ? result.GetValue(option) : null;

    private static IReadOnlyList<string> SplitList(string value)
        => [.. value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];

    private static int ParseInt(string key, string value)
        => int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new FormatException($"Bad value for {key}: '{value}' is not an integer");

    private static bool ParseBool(string key, string value) => value switch
    {
        "true" or "True" or "TRUE" => true,
        "false" or "False" or "FALSE" => false,
        _ => throw new FormatException($"Bad value for {key}: '{value}' is not true or false"),
    };

    private static bool ParseAuthorization(string value) => value switch
    {
        "enabled" => true,
        "disabled" => false,
        _ => throw new FormatException($"Bad value for security.authorization: '{value}' (expected enabled or disabled)"),
    };

    private static EmulatorOptions ValidateDestination(EmulatorOptions options, string value)
        => value == "file" ? options : throw new FormatException($"Bad value for systemLog.destination: '{value}' (only 'file' is supported; omit it for stdout)");

    private static IReadOnlyList<string> RedactArgv(IReadOnlyList<string> args)
    {
        var argv = new List<string>(args.Count + 1) { "mongod" };
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--password" && i + 1 < args.Count)
            {
                argv.Add(arg);
                argv.Add("<password>");
                i++;
            }
            else if (arg.StartsWith("--password=", StringComparison.Ordinal) || arg.StartsWith("--password:", StringComparison.Ordinal))
            {
                argv.Add("--password=<password>");
            }
            else
            {
                argv.Add(arg);
            }
        }

        return argv;
    }

    private static CommandLineResult Fail(string message) => new(null, BadOptionsExitCode, message);
}
