using DistributedSync.Mongo.Authentication;
using Xunit;
using static DistributedSync.Mongo.Tests.Authentication.ScramTestData;

namespace DistributedSync.Mongo.Tests.Authentication;

public sealed class ScramVectorTests
{
    [Fact]
    public void Rfc5802_sha1_example_without_mongodb_digest()
    {
        var scram = ScramSha1.CreateRfc5802(User, Password, () => Rfc5802ClientNonce);

        Assert.Equal("n,,n=user,r=" + Rfc5802ClientNonce, Text(scram.CreateClientFirstMessage()));
        Assert.Equal(Rfc5802ClientFinal, Text(scram.ProcessServerFirstMessage(Bytes(Rfc5802ServerFirst))));
        scram.VerifyServerFinalMessage(Bytes(Rfc5802ServerFinal));
        Assert.True(scram.IsComplete);
    }

    [Fact]
    public void MongoDb_sha1_password_digest_matches_the_auth_spec()
        => Assert.Equal("1c33006ec1ffd90f9cadcbcc0e118200", ScramSha1.MongoPasswordDigest(User, Password));

    [Fact]
    public void MongoDb_sha1_conversation_of_the_auth_spec()
    {
        var scram = new ScramSha1(User, Password, () => Rfc5802ClientNonce, new ScramCredentialCache());

        Assert.Equal("SCRAM-SHA-1", scram.MechanismName);
        Assert.Equal("n,,n=user,r=" + Rfc5802ClientNonce, Text(scram.CreateClientFirstMessage()));
        Assert.Equal(MongoSha1ClientFinal, Text(scram.ProcessServerFirstMessage(Bytes(MongoSha1ServerFirst))));
        scram.VerifyServerFinalMessage(Bytes(MongoSha1ServerFinal));
        Assert.Equal(ScramState.Complete, scram.State);
    }

    [Fact]
    public void Rfc7677_sha256_example()
    {
        var scram = new ScramSha256(User, Password, () => Rfc7677ClientNonce, new ScramCredentialCache());

        Assert.Equal("SCRAM-SHA-256", scram.MechanismName);
        Assert.Equal("n,,n=user,r=" + Rfc7677ClientNonce, Text(scram.CreateClientFirstMessage()));
        Assert.Equal(Rfc7677ClientFinal, Text(scram.ProcessServerFirstMessage(Bytes(Rfc7677ServerFirst))));
        scram.VerifyServerFinalMessage(Bytes(Rfc7677ServerFinal));
        Assert.True(scram.IsComplete);
    }

    [Fact]
    public void Sha256_applies_saslprep_to_the_password()
    {
        // "pen\u00ADcil" SASLprep's to "pencil" (SOFT HYPHEN is mapped to nothing), so the RFC proof results.
        var scram = new ScramSha256(User, "pen\u00ADcil", () => Rfc7677ClientNonce, new ScramCredentialCache());
        scram.CreateClientFirstMessage();

        Assert.Equal(Rfc7677ClientFinal, Text(scram.ProcessServerFirstMessage(Bytes(Rfc7677ServerFirst))));
    }

    [Fact]
    public void Sha1_does_not_apply_saslprep_to_the_password()
    {
        var scram = new ScramSha1(User, "pen\u00ADcil", () => Rfc5802ClientNonce, new ScramCredentialCache());
        scram.CreateClientFirstMessage();

        Assert.NotEqual(MongoSha1ClientFinal, Text(scram.ProcessServerFirstMessage(Bytes(MongoSha1ServerFirst))));
    }

    [Theory]
    [InlineData("user", "n=user")]
    [InlineData("a=b", "n=a=3Db")]
    [InlineData("a,b", "n=a=2Cb")]
    [InlineData("=,=", "n==3D=2C=3D")]
    [InlineData("\u2168", "n=\u2168")]
    public void User_names_are_escaped_but_not_prepared(string username, string expectedAttribute)
    {
        var scram = new ScramSha256(username, Password, () => "nonce");

        Assert.Equal("n,," + expectedAttribute + ",r=nonce", Text(scram.CreateClientFirstMessage()));
    }

    [Fact]
    public void Default_nonce_is_random_printable_base64()
    {
        var first = ScramConversation.CreateRandomNonce();
        var second = ScramConversation.CreateRandomNonce();

        Assert.NotEqual(first, second);
        Assert.Equal(24, Convert.FromBase64String(first).Length);
        Assert.DoesNotContain(',', first);
    }

    [Fact]
    public void Cache_reuses_keys_for_the_same_password_salt_and_iterations()
    {
        var cache = new ScramCredentialCache();
        for (var i = 0; i < 2; i++)
        {
            var scram = new ScramSha256(User, Password, () => Rfc7677ClientNonce, cache);
            scram.CreateClientFirstMessage();
            Assert.Equal(Rfc7677ClientFinal, Text(scram.ProcessServerFirstMessage(Bytes(Rfc7677ServerFirst))));
        }

        Assert.Equal(1, cache.Count);
        Assert.Equal(1, cache.Hits);

        var other = new ScramSha256(User, "other", () => Rfc7677ClientNonce, cache);
        other.CreateClientFirstMessage();
        Assert.NotEqual(Rfc7677ClientFinal, Text(other.ProcessServerFirstMessage(Bytes(Rfc7677ServerFirst))));
        Assert.Equal(2, cache.Count);
    }

    [Fact]
    public void Cache_is_bounded()
    {
        var cache = new ScramCredentialCache(capacity: 1);
        foreach (var password in new[] { "one", "two" })
        {
            var scram = new ScramSha256(User, password, () => Rfc7677ClientNonce, cache);
            scram.CreateClientFirstMessage();
            scram.ProcessServerFirstMessage(Bytes(Rfc7677ServerFirst));
        }

        Assert.Equal(1, cache.Count);
    }
}
