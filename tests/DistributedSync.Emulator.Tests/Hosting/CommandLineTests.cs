using DistributedSync.Bson;
using DistributedSync.Emulator.Hosting;
using Xunit;

namespace DistributedSync.Emulator.Tests.Hosting;

public sealed class CommandLineTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("distsync-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void No_flags_give_mongod_defaults()
    {
        var options = Parse();

        Assert.Equal(27017, options.Port);
        Assert.Equal("./data/db", options.DbPath);
        Assert.Equal(["127.0.0.1"], options.BindIp);
        Assert.False(options.BindIpAll);
        Assert.False(options.Auth);
        Assert.Null(options.User);
        Assert.Null(options.LogPath);
        Assert.False(options.Quiet);
        Assert.False(options.SyncEveryCommit);
    }

    [Fact]
    public void Every_flag_is_read()
    {
        var options = Parse(
            "--port", "27117", "--dbpath", "data/node1", "--bind_ip", "127.0.0.1, ::1", "--auth", "--user", "admin",
            "--password", "pw", "--quiet", "--logpath", "node1.log", "--logappend", "--syncEveryCommit");

        Assert.Equal(27117, options.Port);
        Assert.Equal("data/node1", options.DbPath);
        Assert.Equal(["127.0.0.1", "::1"], options.BindIp);
        Assert.True(options.Auth);
        Assert.Equal(("admin", "pw"), (options.User, options.Password));
        Assert.True(options.Quiet);
        Assert.Equal("node1.log", options.LogPath);
        Assert.True(options.SyncEveryCommit);
        Assert.Equal(["mongod", "--port", "27117", "--dbpath", "data/node1", "--bind_ip", "127.0.0.1, ::1", "--auth", "--user", "admin", "--password", "<password>", "--quiet", "--logpath", "node1.log", "--logappend", "--syncEveryCommit"], options.Argv);
    }

    [Fact]
    public void Equals_syntax_and_port_zero_are_accepted()
    {
        var options = Parse("--port=0", "--bind_ip_all");

        Assert.Equal(0, options.Port);
        Assert.True(options.BindIpAll);
    }

    [Theory]
    [InlineData("--bogus")]
    [InlineData("--port", "abc")]
    [InlineData("--port", "70000")]
    [InlineData("--port", "-1")]
    [InlineData("--user", "admin")]
    [InlineData("--password", "pw")]
    [InlineData("--auth", "--noauth")]
    [InlineData("--dbpath")]
    [InlineData("stray")]
    public void Bad_command_lines_exit_with_2_and_a_message(params string[] args)
    {
        var result = EmulatorCommandLine.Parse(args, TextWriter.Null);

        Assert.Null(result.Options);
        Assert.Equal(2, result.ExitCode);
        Assert.False(string.IsNullOrWhiteSpace(result.Error));
    }

    [Fact]
    public void Help_is_printed_and_exits_0()
    {
        using var output = new StringWriter();
        var result = EmulatorCommandLine.Parse(["--help"], output);

        Assert.Null(result.Options);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("--dbpath", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("--syncEveryCommit", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_yaml_config_file_gives_the_settings_and_flags_override_it()
    {
        var path = Write("node.yaml", """
            # A mongod-style config file.
            net:
              port: 27200   # overridden below
              bindIp: "127.0.0.1,::1"
            storage:
              dbPath: 'data/my node'
              syncEveryCommit: true
            security:
              authorization: enabled
            systemLog:
              destination: file
              path: logs/node.log
              logAppend: true
              quiet: true
            emulator:
              user: admin
              password: "p#ss: word"
            """);

        var options = Parse("--config", path, "--port", "27300");

        Assert.Equal(27300, options.Port);
        Assert.Equal(["127.0.0.1", "::1"], options.BindIp);
        Assert.Equal("data/my node", options.DbPath);
        Assert.True(options.SyncEveryCommit);
        Assert.True(options.Auth);
        Assert.Equal("logs/node.log", options.LogPath);
        Assert.True(options.Quiet);
        Assert.Equal(("admin", "p#ss: word"), (options.User, options.Password));
        Assert.Equal(path, options.ConfigPath);
    }

    [Fact]
    public void A_json_config_file_is_read_too()
    {
        var path = Write("node.json", """{ "net": { "port": 0 }, "emulator": { "user": "u", "password": "p" }, "security": { "authorization": "enabled" } }""");

        var options = Parse("-f", path);

        Assert.Equal(0, options.Port);
        Assert.True(options.Auth);
        Assert.Equal(("u", "p"), (options.User, options.Password));
    }

    [Theory]
    [InlineData("net:\n  prot: 1\n", "Unrecognized option: net.prot")]
    [InlineData("net:\n  port: many\n", "not an integer")]
    [InlineData("net:\n\tport: 1\n", "tabs")]
    [InlineData("net:\n  port: 1\n  port: 2\n", "duplicate key")]
    [InlineData("net:\n  - 1\n", "not supported")]
    [InlineData("security:\n  authorization: maybe\n", "security.authorization")]
    [InlineData("{ \"net\": ", "not valid JSON")]
    public void A_bad_config_file_exits_with_2(string text, string expected)
    {
        var path = Write("bad.yaml", text);

        var result = EmulatorCommandLine.Parse(["--config", path], TextWriter.Null);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_config_file_exits_with_2()
    {
        var result = EmulatorCommandLine.Parse(["--config", Path.Combine(_folder, "absent.yaml")], TextWriter.Null);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("config file", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_parsed_form_is_nested_like_mongod_and_hides_the_password()
    {
        var options = Parse("--port", "1234", "--dbpath", "d", "--auth", "--user", "u", "--password", "secret");

        var parsed = options.Parsed;

        Assert.Equal(new BsonDocument { { "bindIp", "127.0.0.1" }, { "port", 1234 } }, parsed["net"]);
        Assert.Equal(new BsonDocument("authorization", "enabled"), parsed["security"]);
        Assert.Equal(new BsonDocument("dbPath", "d"), parsed["storage"]);
        Assert.DoesNotContain("secret", parsed.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("secret", options.ToString(), StringComparison.Ordinal);
    }

    private static EmulatorOptions Parse(params string[] args)
    {
        var result = EmulatorCommandLine.Parse(args, TextWriter.Null);
        Assert.True(result.Options is not null, result.Error);
        return result.Options;
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }
}
