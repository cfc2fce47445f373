using Xunit;

namespace DistributedSync.Mongo.Tests.Integration;

/// <summary>
/// The servers the integration tests run against: the connection strings in the environment
/// variable <c>DISTSYNC_TEST_MONGODB_URIS</c> (separated by whitespace or ';'), each naming one
/// standalone server (a real mongod 6.0-8.x or an emulator node). Without it the tests skip.
/// </summary>
internal static class IntegrationServers
{
    public const string Variable = "DISTSYNC_TEST_MONGODB_URIS";

    public static IReadOnlyList<string> ConnectionStrings { get; } =
        (Environment.GetEnvironmentVariable(Variable) ?? string.Empty)
            .Split([';', ' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The configured connection strings, or a skip naming the variable.</summary>
    public static IReadOnlyList<string> RequireAny()
    {
        if (ConnectionStrings.Count == 0)
        {
            Assert.Skip($"No MongoDB server configured: set {Variable} to one or more mongodb:// connection strings (whitespace- or ';'-separated), each naming one standalone server, to run the client integration tests.");
        }

        return ConnectionStrings;
    }

    /// <summary>Runs <paramref name="scenario"/> against every configured server, each in a fresh database dropped afterwards.</summary>
    public static async Task ForEachServerAsync(Func<MongoClient, MongoDatabase, CancellationToken, Task> scenario)
    {
        var ct = TestContext.Current.CancellationToken;
        foreach (var uri in RequireAny())
        {
            await using var client = new MongoClient(uri);
            var database = client.GetDatabase("distsync_it_" + Guid.NewGuid().ToString("N")[..12]);
            try
            {
                await scenario(client, database, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                throw new InvalidOperationException($"Against {client.Server}: {ex.Message}", ex);
            }
            finally
            {
                await database.DropAsync(cancellationToken: CancellationToken.None);
            }
        }
    }
}
