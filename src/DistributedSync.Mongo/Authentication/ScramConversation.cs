using System.Security.Cryptography;
using System.Text;

namespace DistributedSync.Mongo.Authentication;

/// <summary>
/// One client side of a SCRAM conversation (RFC 5802) as MongoDB runs it: no channel binding
/// (the GS2 header is always <c>n,,</c>), user names sent unprepared (only <c>=</c> and <c>,</c>
/// escaped), an iteration count of at least 4096 enforced, and the server's signature verified.
/// Use it once, in order: <see cref="CreateClientFirstMessage"/>, then
/// <see cref="ProcessServerFirstMessage"/> (whose result is the client-final message), then
/// <see cref="VerifyServerFinalMessage"/>. It knows nothing about transport: the payloads go in
/// <c>saslStart</c>/<c>saslContinue</c> commands (see <see cref="SaslCommands"/>) sent to
/// <see cref="MongoCredential.Source"/>. Any failure leaves it in <see cref="ScramState.Failed"/>.
/// </summary>
public abstract class ScramConversation
{
    /// <summary>The minimum iteration count MongoDB's auth spec requires for SCRAM-SHA-1 and SCRAM-SHA-256.</summary>
    public const int MinimumIterationCount = 4096;

    private readonly string _username;
    private readonly string _password;
    private readonly Func<string> _nonceFactory;
    private readonly ScramCredentialCache _cache;
    private string? _clientNonce;
    private string? _clientFirstBare;
    private byte[]? _expectedServerSignature;

    private protected ScramConversation(string username, string password, Func<string>? nonceFactory, ScramCredentialCache? cache)
    {
        ArgumentNullException.ThrowIfNull(username);
        ArgumentNullException.ThrowIfNull(password);
        if (username.Length == 0)
        {
            throw new ArgumentException("SCRAM needs a non-empty user name.", nameof(username));
        }

        _username = username;
        _password = password;
        _nonceFactory = nonceFactory ?? CreateRandomNonce;
        _cache = cache ?? ScramCredentialCache.Shared;
    }

    /// <summary>The SASL mechanism name ("SCRAM-SHA-1" or "SCRAM-SHA-256").</summary>
    public abstract string MechanismName { get; }

    /// <summary>Where the conversation is.</summary>
    public ScramState State { get; private set; }

    /// <summary>True once the server's signature has been verified.</summary>
    public bool IsComplete => State == ScramState.Complete;

    /// <summary>The hash function (SHA-1 or SHA-256).</summary>
    private protected abstract HashAlgorithmName HashAlgorithm { get; }

    /// <summary>The hash output length in bytes.</summary>
    private protected abstract int HashLength { get; }

    /// <summary>
    /// Turns the user's password into the string SCRAM's <c>Hi</c> is applied to (MongoDB's MD5
    /// digest for SHA-1, SASLprep for SHA-256). Throws <see cref="ArgumentException"/> when impossible.
    /// </summary>
    private protected abstract string PreparePassword(string username, string password);

    /// <summary>Step 1: the client-first message <c>n,,n=&lt;user&gt;,r=&lt;nonce&gt;</c> as UTF-8.</summary>
    /// <exception cref="InvalidOperationException">Called twice, or the nonce source returned an unusable nonce.</exception>
    public byte[] CreateClientFirstMessage()
    {
        Expect(ScramState.Initial, nameof(CreateClientFirstMessage));
        var nonce = _nonceFactory();
        if (string.IsNullOrEmpty(nonce) || !ScramAttributes.IsPrintable(nonce))
        {
            State = ScramState.Failed;
            throw new InvalidOperationException("The SCRAM nonce source returned an empty nonce or one with characters other than printable ASCII without ','.");
        }

        _clientNonce = nonce;
        _clientFirstBare = "n=" + ScramAttributes.EscapeSaslName(_username) + ",r=" + nonce;
        State = ScramState.ClientFirstSent;
        return Encoding.UTF8.GetBytes("n,," + _clientFirstBare);
    }

    /// <summary>
    /// Step 2: validates the server-first message (nonce prefix, base64 salt, iteration count of at
    /// least <see cref="MinimumIterationCount"/>) and returns the client-final message with the proof.
    /// </summary>
    /// <exception cref="MongoAuthenticationException">The server-first message is malformed or unsafe, or the password cannot be prepared.</exception>
    public byte[] ProcessServerFirstMessage(ReadOnlySpan<byte> serverFirstMessage)
    {
        Expect(ScramState.ClientFirstSent, nameof(ProcessServerFirstMessage));
        try
        {
            var serverFirst = ScramAttributes.DecodeUtf8(serverFirstMessage, MechanismName, "server-first");
            var parsed = ScramAttributes.ParseServerFirst(serverFirst, _clientNonce!, MechanismName);
            if (parsed.Iterations < MinimumIterationCount)
            {
                throw Fail($"the server asked for {parsed.Iterations} PBKDF2 iterations; at least {MinimumIterationCount} are required.");
            }

            string prepared;
            try
            {
                prepared = PreparePassword(_username, _password);
            }
            catch (ArgumentException ex)
            {
                throw Fail("the password cannot be prepared: " + ex.Message, ex);
            }

            var keys = _cache.GetOrCompute(MechanismName, prepared, parsed.Salt, parsed.Iterations, ComputeKeys);
            var clientFinalWithoutProof = "c=biws,r=" + parsed.Nonce;
            var authMessage = Encoding.UTF8.GetBytes(_clientFirstBare + "," + serverFirst + "," + clientFinalWithoutProof);

            var storedKey = CryptographicOperations.HashData(HashAlgorithm, keys.ClientKey);
            var clientSignature = CryptographicOperations.HmacData(HashAlgorithm, storedKey, authMessage);
            var proof = new byte[HashLength];
            for (var i = 0; i < proof.Length; i++)
            {
                proof[i] = (byte)(keys.ClientKey[i] ^ clientSignature[i]);
            }

            _expectedServerSignature = CryptographicOperations.HmacData(HashAlgorithm, keys.ServerKey, authMessage);
            State = ScramState.ClientFinalSent;
            return Encoding.UTF8.GetBytes(clientFinalWithoutProof + ",p=" + Convert.ToBase64String(proof));
        }
        catch
        {
            State = ScramState.Failed;
            throw;
        }
    }

    /// <summary>Step 3: checks the server's signature (<c>v=...</c>) or reports its error (<c>e=...</c>).</summary>
    /// <exception cref="MongoAuthenticationException">The server reported an error, or its signature is missing or wrong.</exception>
    public void VerifyServerFinalMessage(ReadOnlySpan<byte> serverFinalMessage)
    {
        Expect(ScramState.ClientFinalSent, nameof(VerifyServerFinalMessage));
        try
        {
            var serverFinal = ScramAttributes.DecodeUtf8(serverFinalMessage, MechanismName, "server-final");
            var signature = ScramAttributes.ParseServerFinal(serverFinal, MechanismName);
            if (!CryptographicOperations.FixedTimeEquals(signature, _expectedServerSignature))
            {
                throw Fail("the server's signature is wrong, so the server has not proved that it knows the password.");
            }

            State = ScramState.Complete;
        }
        catch
        {
            State = ScramState.Failed;
            throw;
        }
    }

    /// <summary>A default nonce: 24 cryptographically random bytes in base64.</summary>
    public static string CreateRandomNonce() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));

    private ScramKeys ComputeKeys(string preparedPassword, byte[] salt, int iterations)
    {
        var passwordBytes = Encoding.UTF8.GetBytes(preparedPassword);
        var salted = Rfc2898DeriveBytes.Pbkdf2(passwordBytes, salt, iterations, HashAlgorithm, HashLength);
        try
        {
            return new ScramKeys(
                CryptographicOperations.HmacData(HashAlgorithm, salted, "Client Key"u8),
                CryptographicOperations.HmacData(HashAlgorithm, salted, "Server Key"u8));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(salted);
            CryptographicOperations.ZeroMemory(passwordBytes);
        }
    }

    private MongoAuthenticationException Fail(string message, Exception? inner = null)
        => new(MechanismName, message, inner);

    private void Expect(ScramState expected, string step)
    {
        if (State != expected)
        {
            throw new InvalidOperationException($"{MechanismName}: {step} is not allowed in state {State} (expected {expected}).");
        }
    }
}
