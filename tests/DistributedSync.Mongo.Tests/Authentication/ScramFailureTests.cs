using DistributedSync.Mongo.Authentication;
using Xunit;
using static DistributedSync.Mongo.Tests.Authentication.ScramTestData;

namespace DistributedSync.Mongo.Tests.Authentication;

public sealed class ScramFailureTests
{
    public static TheoryData<string, string, string> BadServerFirst => new()
    {
        { "nonce not extending the client's", "r=someoneElsesNonce123,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", "nonce" },
        { "nonce equal to the client's", "r=" + Rfc7677ClientNonce + ",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", "nonce" },
        { "iteration count below 4096", "r=" + Rfc7677ClientNonce + "xyz,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4095", "4096" },
        { "iteration count of zero", "r=" + Rfc7677ClientNonce + "xyz,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=0", "4096" },
        { "negative iteration count", "r=" + Rfc7677ClientNonce + "xyz,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=-4096", "iteration" },
        { "salt not base64", "r=" + Rfc7677ClientNonce + "xyz,s=!!notbase64!!,i=4096", "salt" },
        { "empty salt", "r=" + Rfc7677ClientNonce + "xyz,s=,i=4096", "salt" },
        { "mandatory extension", "m=ext,r=" + Rfc7677ClientNonce + "xyz,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", "extension" },
        { "attributes out of order", "s=W22ZaJ0SNY7soEsUEjb6gQ==,r=" + Rfc7677ClientNonce + "xyz,i=4096", "'r='" },
        { "missing iteration count", "r=" + Rfc7677ClientNonce + "xyz,s=W22ZaJ0SNY7soEsUEjb6gQ==", "r=, s= and i=" },
    };

    [Theory]
    [MemberData(nameof(BadServerFirst))]
    public void Sha256_rejects_unsafe_or_malformed_server_first(string name, string serverFirst, string fragment)
    {
        Assert.False(string.IsNullOrEmpty(name));
        var scram = new ScramSha256(User, Password, () => Rfc7677ClientNonce, new ScramCredentialCache());
        scram.CreateClientFirstMessage();

        var ex = Assert.Throws<MongoAuthenticationException>(() => scram.ProcessServerFirstMessage(Bytes(serverFirst)));
        Assert.Contains(fragment, ex.Message, StringComparison.Ordinal);
        Assert.Equal("SCRAM-SHA-256", ex.Mechanism);
        Assert.Equal(ScramState.Failed, scram.State);
    }

    [Fact]
    public void Sha1_rejects_an_iteration_count_below_4096()
    {
        var scram = new ScramSha1(User, Password, () => Rfc5802ClientNonce, new ScramCredentialCache());
        scram.CreateClientFirstMessage();

        var ex = Assert.Throws<MongoAuthenticationException>(
            () => scram.ProcessServerFirstMessage(Bytes("r=" + Rfc5802ClientNonce + "abc,s=rQ9ZY3MntBeuP3E1TDVC4w==,i=4095")));
        Assert.Contains("4096", ex.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> BadServerFinal => new()
    {
        { "wrong signature", "v=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=" },
        { "signature of the sha1 example", MongoSha1ServerFinal },
        { "truncated signature", "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G=" },
        { "server error", "e=invalid-proof" },
        { "missing attribute", "x=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=" },
        { "signature not base64", "v=***" },
    };

    [Theory]
    [MemberData(nameof(BadServerFinal))]
    public void Sha256_rejects_a_bad_server_final(string name, string serverFinal)
    {
        Assert.False(string.IsNullOrEmpty(name));
        var scram = new ScramSha256(User, Password, () => Rfc7677ClientNonce, new ScramCredentialCache());
        scram.CreateClientFirstMessage();
        scram.ProcessServerFirstMessage(Bytes(Rfc7677ServerFirst));

        Assert.Throws<MongoAuthenticationException>(() => scram.VerifyServerFinalMessage(Bytes(serverFinal)));
        Assert.Equal(ScramState.Failed, scram.State);
        Assert.False(scram.IsComplete);
    }

    [Fact]
    public void Server_error_is_reported()
    {
        var scram = new ScramSha256(User, Password, () => Rfc7677ClientNonce, new ScramCredentialCache());
        scram.CreateClientFirstMessage();
        scram.ProcessServerFirstMessage(Bytes(Rfc7677ServerFirst));

        var ex = Assert.Throws<MongoAuthenticationException>(() => scram.VerifyServerFinalMessage(Bytes("e=invalid-proof")));
        Assert.Contains("invalid-proof", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Steps_must_run_in_order()
    {
        var scram = new ScramSha256(User, Password, () => Rfc7677ClientNonce, new ScramCredentialCache());

        Assert.Throws<InvalidOperationException>(() => scram.ProcessServerFirstMessage(Bytes(Rfc7677ServerFirst)));
        scram.CreateClientFirstMessage();
        Assert.Throws<InvalidOperationException>(() => scram.CreateClientFirstMessage());
        Assert.Throws<InvalidOperationException>(() => scram.VerifyServerFinalMessage(Bytes(Rfc7677ServerFinal)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a,b")]
    [InlineData("has space")]
    [InlineData("caf\u00E9")]
    public void Unusable_nonce_is_refused(string nonce)
    {
        var scram = new ScramSha256(User, Password, () => nonce);

        Assert.Throws<InvalidOperationException>(() => scram.CreateClientFirstMessage());
        Assert.Equal(ScramState.Failed, scram.State);
    }

    [Fact]
    public void Password_that_saslprep_rejects_fails_authentication_without_showing_it()
    {
        var scram = new ScramSha256(User, "Secret\u0007Pw", () => Rfc7677ClientNonce, new ScramCredentialCache());
        scram.CreateClientFirstMessage();

        var ex = Assert.Throws<MongoAuthenticationException>(() => scram.ProcessServerFirstMessage(Bytes(Rfc7677ServerFirst)));
        Assert.IsType<ArgumentException>(ex.InnerException);
        Assert.DoesNotContain("Secret", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_user_name_is_refused()
        => Assert.Throws<ArgumentException>(() => new ScramSha256(string.Empty, Password));
}
