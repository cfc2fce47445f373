using DistributedSync.Bson;
using DistributedSync.Mongo.Tests.Support;
using DistributedSync.TestKit.Scripted;
using Xunit;

namespace DistributedSync.Mongo.Tests.Connections;

public sealed class TlsTests
{
    [Fact]
    public async Task ServerCertificateSignedByTheConfiguredCA_IsAccepted()
    {
        var ct = TestContext.Current.CancellationToken;
        using var certificates = TestCertificates.Create();
        var caFile = certificates.WriteAuthorityPem();
        try
        {
            await using var server = ScriptedMongoServer.StartTls(certificates.Server);
            await using var client = Scripted.Client(server, "tls=true&tlsCAFile=" + Uri.EscapeDataString(caFile));

            await client.GetDatabase("app").RunCommandAsync(new BsonDocument("ping", 1), cancellationToken: ct);

            Assert.Equal(["hello", "ping"], server.Requests.Select(r => r.CommandName));
        }
        finally
        {
            File.Delete(caFile);
        }
    }

    [Fact]
    public async Task ServerCertificateFromAnotherCA_IsRejected()
    {
        var ct = TestContext.Current.CancellationToken;
        using var certificates = TestCertificates.Create();
        using var stranger = TestCertificates.Create("Some Other CA");
        var caFile = stranger.WriteAuthorityPem();
        try
        {
            await using var server = ScriptedMongoServer.StartTls(certificates.Server);
            await using var client = Scripted.Client(server, "tls=true&tlsCAFile=" + Uri.EscapeDataString(caFile));

            var error = await Assert.ThrowsAsync<MongoConnectionException>(() => client.ConnectAsync(ct));

            Assert.True(error.DuringHandshake);
            Assert.Empty(server.Requests);
        }
        finally
        {
            File.Delete(caFile);
        }
    }

    [Fact]
    public async Task UntrustedCertificate_IsRejectedByDefault_AndAcceptedWhenInvalidCertificatesAreAllowed()
    {
        var ct = TestContext.Current.CancellationToken;
        using var certificates = TestCertificates.Create();
        await using var server = ScriptedMongoServer.StartTls(certificates.Server);

        await using (var strict = Scripted.Client(server, "tls=true"))
        {
            await Assert.ThrowsAsync<MongoConnectionException>(() => strict.ConnectAsync(ct));
        }

        await using var lenient = Scripted.Client(server, "tls=true&tlsAllowInvalidCertificates=true");
        await lenient.GetDatabase("app").RunCommandAsync(new BsonDocument("ping", 1), cancellationToken: ct);
        Assert.Contains(server.Requests, r => r.CommandName == "ping");
    }

    [Fact]
    public async Task PlainClient_AgainstTlsServer_FailsInsteadOfHanging()
    {
        var ct = TestContext.Current.CancellationToken;
        using var certificates = TestCertificates.Create();
        await using var server = ScriptedMongoServer.StartTls(certificates.Server);
        await using var client = Scripted.Client(server, "connectTimeoutMS=2000");

        var error = await Assert.ThrowsAnyAsync<MongoException>(() => client.ConnectAsync(ct));

        Assert.True(error is MongoConnectionException or MongoTimeoutException { Kind: MongoTimeoutKind.Connect }, error.GetType().Name);
    }
}
