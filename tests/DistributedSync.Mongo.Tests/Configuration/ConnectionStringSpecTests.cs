using Xunit;
using System.Text.Json;
using DistributedSync.Mongo.Configuration;
using DistributedSync.TestKit;

namespace DistributedSync.Mongo.Tests.Configuration;

/// <summary>
/// Runs every case of MongoDB's connection-string conformance tests (read at run time from
/// <c>../shared/mongodb-spec-tests/connection-string</c>). Per the tests' README, a null field is
/// not checked; option names compare case-insensitively and values by type. Each option listed
/// must have been accepted with that value (the files list only the options they are about).
/// </summary>
public sealed class ConnectionStringSpecTests
{
    private const string Folder = "mongodb-spec-tests/connection-string";
    private const string Missing = "(missing)";

    public static TheoryData<string, int, string> Cases()
    {
        var data = new TheoryData<string, int, string>();
        var dir = SharedData.Find(Folder);
        if (dir is null)
        {
            data.Add(Missing, 0, Missing);
            return data;
        }

        foreach (var file in Directory.GetFiles(dir, "*.json").Order(StringComparer.Ordinal))
        {
            using var json = JsonDocument.Parse(File.ReadAllText(file));
            var index = 0;
            foreach (var test in json.RootElement.GetProperty("tests").EnumerateArray())
            {
                data.Add(Path.GetFileName(file), index++, test.GetProperty("description").GetString()!);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Spec_case(string file, int index, string description)
    {
        var dir = SharedData.Find(Folder);
        if (dir is null || file == Missing)
        {
            Assert.Skip(SharedData.MissingMessage(Folder));
        }

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, file)));
        var test = json.RootElement.GetProperty("tests")[index];
        Assert.Equal(description, test.GetProperty("description").GetString());
        var uri = test.GetProperty("uri").GetString()!;

        var ok = MongoConnectionString.TryParse(uri, out var parsed, out var error);
        if (!test.GetProperty("valid").GetBoolean())
        {
            Assert.False(ok, $"'{uri}' must be rejected but parsed.");
            Assert.False(string.IsNullOrWhiteSpace(error));
            return;
        }

        Assert.True(ok, $"'{uri}' must parse but failed: {error}");
        Assert.NotNull(parsed);
        if (test.GetProperty("warning") is { ValueKind: JsonValueKind.True or JsonValueKind.False } warning)
        {
            Assert.True(warning.GetBoolean() == parsed.Warnings.Count > 0, $"warnings expected: {warning.GetBoolean()}, got [{string.Join(" | ", parsed.Warnings)}]");
        }

        CheckHosts(test.GetProperty("hosts"), parsed);
        CheckAuth(test.GetProperty("auth"), parsed);
        CheckOptions(test.GetProperty("options"), parsed);
    }

    private static void CheckHosts(JsonElement hosts, MongoConnectionString parsed)
    {
        if (hosts.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        Assert.Equal(hosts.GetArrayLength(), parsed.Hosts.Count);
        for (var i = 0; i < parsed.Hosts.Count; i++)
        {
            var expected = hosts[i];
            var actual = parsed.Hosts[i];
            Assert.Equal(expected.GetProperty("host").GetString(), actual.Host);
            if (expected.GetProperty("port").ValueKind != JsonValueKind.Null)
            {
                Assert.Equal(expected.GetProperty("port").GetInt32(), actual.Port);
            }

            if (expected.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String)
            {
                var expectedType = type.GetString() switch
                {
                    "ipv4" => MongoHostType.IPv4,
                    "ip_literal" => MongoHostType.IPLiteral,
                    "unix" => MongoHostType.UnixSocket,
                    _ => MongoHostType.Hostname,
                };
                Assert.Equal(expectedType, actual.Type);
            }
        }
    }

    private static void CheckAuth(JsonElement auth, MongoConnectionString parsed)
    {
        if (auth.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (auth.GetProperty("username") is { ValueKind: JsonValueKind.String } username)
        {
            Assert.Equal(username.GetString(), parsed.Username);
        }

        if (auth.GetProperty("password") is { ValueKind: JsonValueKind.String } password)
        {
            Assert.Equal(password.GetString(), parsed.Password);
        }

        if (auth.GetProperty("db") is { ValueKind: JsonValueKind.String } db)
        {
            Assert.Equal(db.GetString(), parsed.DatabaseName);
        }
    }

    private static void CheckOptions(JsonElement options, MongoConnectionString parsed)
    {
        if (options.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        foreach (var option in options.EnumerateObject())
        {
            Assert.True(parsed.OptionValues.TryGetValue(option.Name, out var actual), $"option {option.Name} missing");
            OptionAssert.Matches(option.Name, option.Value, actual);
        }
    }
}
