using DistributedSync.Mongo.Configuration;
using Xunit;

namespace DistributedSync.Mongo.Tests.Configuration;

/// <summary>
/// Random connection strings assembled from the characters that matter to the grammar: parsing
/// must either succeed or fail with <see cref="MongoConnectionStringException"/> (never another
/// exception), a parsed string must round-trip through <see cref="MongoConnectionString.ToString"/>,
/// and when a password precedes the '@' no message, warning or <c>ToString</c> may show it.
/// </summary>
public sealed class ConnectionStringRobustnessTests
{
    private const string Secret = "Qx7Secret";

    private static readonly string[] Pieces =
    [
        "mongodb://", "mongodb+srv://", "alice", ":", "@", "/", "?", "&", "=", ",", "%", "%2F", "%40", "%3A",
        "%zz", "%E2%85%A8", "[", "]", "::1", "localhost", "127.0.0.1", "example.com", ".sock", "27017", "0", "-1", "65536",
        "w", "tls", "ssl", "true", "false", "authMechanism", "SCRAM-SHA-256", "MONGODB-X509", "authSource", "db", "$",
        " ", "readPreferenceTags", "dc:ny", "journal", "directConnection", "replicaSet", "proxyPassword", "\u00FC",
    ];

    public static TheoryData<int> Seeds => new(Enumerable.Range(1, 20));

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Random_strings_parse_or_fail_cleanly(int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < 300; i++)
        {
            var withPassword = random.Next(2) == 0;
            var text = withPassword
                ? "mongodb://" + RandomText(random, 2, p => p.IndexOfAny([':', '@', '/', '?']) < 0)
                    + ":" + Secret + RandomText(random, 2, _ => true) + "@"
                : random.Next(4) == 0 ? string.Empty : "mongodb://";
            text += RandomText(random, 10, _ => true);

            Check(text, withPassword);
        }
    }

    private static string RandomText(Random random, int maxPieces, Func<string, bool> allowed)
    {
        var text = string.Empty;
        var count = random.Next(0, maxPieces + 1);
        while (count > 0)
        {
            var piece = Pieces[random.Next(Pieces.Length)];
            if (allowed(piece))
            {
                text += piece;
                count--;
            }
        }

        return text;
    }

    private static void Check(string text, bool withPassword)
    {
        MongoConnectionString parsed;
        try
        {
            parsed = MongoConnectionString.Parse(text);
        }
        catch (MongoConnectionStringException ex)
        {
            Assert.False(string.IsNullOrWhiteSpace(ex.Message));
            if (withPassword)
            {
                Assert.DoesNotContain(Secret, ex.Message, StringComparison.Ordinal);
            }

            return;
        }

        var shown = parsed.ToString();
        if (withPassword)
        {
            Assert.DoesNotContain(Secret, shown, StringComparison.Ordinal);
            Assert.All(parsed.Warnings, w => Assert.DoesNotContain(Secret, w, StringComparison.Ordinal));
        }

        var again = MongoConnectionString.Parse(shown);
        Assert.Equal(parsed.Hosts, again.Hosts);
        Assert.Equal(parsed.Username, again.Username);
        Assert.Equal(parsed.DatabaseName, again.DatabaseName);
        Assert.Equal(shown, again.ToString());
    }
}
