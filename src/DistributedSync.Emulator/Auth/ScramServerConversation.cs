using System.Security.Cryptography;
using System.Text;

namespace DistributedSync.Emulator.Auth;

/// <summary>Why a SCRAM step failed (logged; the client only learns "Authentication failed.").</summary>
internal sealed class ScramFailureException(string reason) : Exception(reason);

/// <summary>
/// The server side of one SCRAM conversation (RFC 5802 as MongoDB uses it): client-first →
/// server-first (nonce, salt, iterations), client-final (proof) → server-final (signature), and,
/// unless the client asked for <c>skipEmptyExchange</c>, one more empty round trip. Channel
/// binding and authorization identities are not supported, as in mongod.
/// </summary>
internal sealed class ScramServerConversation
{
    private const int ServerNonceBytes = 24;
    private readonly Func<string, string, UserRecord?> _findUser;
    private readonly Func<string> _serverNonce;
    private string? _clientFirstBare;
    private string? _serverFirst;
    private string? _gs2Header;
    private string? _nonce;
    private UserRecord? _user;
    private ScramCredential? _credential;
    private int _step;

    /// <summary>Starts a conversation.</summary>
    /// <param name="algorithm">The SCRAM variant.</param>
    /// <param name="database">The authentication database.</param>
    /// <param name="skipEmptyExchange">Finish after the server signature (no empty round trip).</param>
    /// <param name="speculative">Whether it started inside hello (for the log).</param>
    /// <param name="findUser">Looks a user up by database and name.</param>
    /// <param name="serverNonce">The server's part of the nonce; null for 24 random bytes in base64 (tests fix it).</param>
    public ScramServerConversation(
        ScramAlgorithm algorithm,
        string database,
        bool skipEmptyExchange,
        bool speculative,
        Func<string, string, UserRecord?> findUser,
        Func<string>? serverNonce = null)
    {
        Algorithm = algorithm;
        Database = database;
        SkipEmptyExchange = skipEmptyExchange;
        Speculative = speculative;
        _findUser = findUser;
        _serverNonce = serverNonce ?? (() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(ServerNonceBytes)));
    }

    public ScramAlgorithm Algorithm { get; }

    public string Database { get; }

    public bool SkipEmptyExchange { get; }

    public bool Speculative { get; }

    /// <summary>The user name from client-first (empty before it).</summary>
    public string UserName { get; private set; } = string.Empty;

    /// <summary>True once the client's proof has been verified and the conversation is over.</summary>
    public bool IsSuccess { get; private set; }

    /// <summary>The authenticated user once <see cref="IsSuccess"/>.</summary>
    public UserRecord? User => IsSuccess ? _user : null;

    /// <summary>Runs the next step on <paramref name="payload"/> and returns the server's payload.</summary>
    /// <exception cref="ScramFailureException">The step failed.</exception>
    public byte[] Step(ReadOnlySpan<byte> payload)
    {
        var text = DecodeUtf8(payload);
        return _step++ switch
        {
            0 => Encoding.UTF8.GetBytes(ClientFirst(text)),
            1 => Encoding.UTF8.GetBytes(ClientFinal(text)),
            2 when !SkipEmptyExchange && !IsSuccess && _credential is not null => Finish(text),
            _ => throw new ScramFailureException("The SCRAM conversation is already complete."),
        };
    }

    /// <summary>True when the last step ended the conversation (reply <c>done: true</c>).</summary>
    public bool IsDone => IsSuccess;

    private string ClientFirst(string message)
    {
        // gs2-header: "n,," (no channel binding) or "y,," (client supports it, server does not).
        if (message.StartsWith("p=", StringComparison.Ordinal))
        {
            throw new ScramFailureException("Server does not support channel binding.");
        }

        if (!message.StartsWith("n,", StringComparison.Ordinal) && !message.StartsWith("y,", StringComparison.Ordinal))
        {
            throw new ScramFailureException("Incorrect SCRAM client message prefix: " + message);
        }

        var authzEnd = message.IndexOf(',', 2);
        if (authzEnd < 0)
        {
            throw new ScramFailureException("Incorrect number of arguments for first SCRAM client message.");
        }

        if (authzEnd != 2)
        {
            throw new ScramFailureException("SCRAM authorization identities (a=) are not supported.");
        }

        _gs2Header = message[..(authzEnd + 1)];
        _clientFirstBare = message[(authzEnd + 1)..];
        var parts = _clientFirstBare.Split(',');
        if (parts.Length < 2 || !parts[0].StartsWith("n=", StringComparison.Ordinal) || !parts[1].StartsWith("r=", StringComparison.Ordinal))
        {
            throw new ScramFailureException("Invalid SCRAM client-first message: expected n= and r=.");
        }

        if (parts.Skip(2).Any(p => p.StartsWith("m=", StringComparison.Ordinal)))
        {
            throw new ScramFailureException("SCRAM mandatory extensions are not supported.");
        }

        UserName = DecodeSaslName(parts[0][2..]);
        var clientNonce = parts[1][2..];
        if (clientNonce.Length == 0 || clientNonce.Any(c => c is < '!' or > '~' or ','))
        {
            throw new ScramFailureException("Invalid SCRAM client nonce.");
        }

        _user = _findUser(Database, UserName)
            ?? throw new ScramFailureException($"Could not find user \"{UserName}\" for db \"{Database}\"");
        _credential = _user.CredentialFor(Algorithm)
            ?? throw new ScramFailureException($"Unable to use {Algorithm.Mechanism} based authentication for user without any {Algorithm.Mechanism} credentials registered");
        _nonce = clientNonce + _serverNonce();
        _serverFirst = "r=" + _nonce + ",s=" + Convert.ToBase64String(_credential.Salt) + ",i=" + _credential.IterationCount.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return _serverFirst;
    }

    private string ClientFinal(string message)
    {
        var proofAt = message.LastIndexOf(",p=", StringComparison.Ordinal);
        if (proofAt < 0)
        {
            throw new ScramFailureException("Invalid SCRAM client-final message: no proof.");
        }

        var withoutProof = message[..proofAt];
        var parts = withoutProof.Split(',');
        if (parts.Length < 2 || !parts[0].StartsWith("c=", StringComparison.Ordinal) || !parts[1].StartsWith("r=", StringComparison.Ordinal))
        {
            throw new ScramFailureException("Invalid SCRAM client-final message: expected c= and r=.");
        }

        if (parts[0][2..] != Convert.ToBase64String(Encoding.UTF8.GetBytes(_gs2Header!)))
        {
            throw new ScramFailureException("SCRAM channel binding data does not match the client-first message.");
        }

        if (parts[1][2..] != _nonce)
        {
            throw new ScramFailureException("Unmatched SCRAM nonce received from client in second step.");
        }

        byte[] proof;
        try
        {
            proof = Convert.FromBase64String(message[(proofAt + 3)..]);
        }
        catch (FormatException)
        {
            throw new ScramFailureException("The SCRAM client proof is not valid base64.");
        }

        var credential = _credential!;
        var authMessage = _clientFirstBare + "," + _serverFirst + "," + withoutProof;
        var clientSignature = Algorithm.Hmac(credential.StoredKey, authMessage);
        if (proof.Length != clientSignature.Length)
        {
            throw new ScramFailureException("SCRAM authentication failed, storedKey mismatch");
        }

        var clientKey = new byte[proof.Length];
        for (var i = 0; i < proof.Length; i++)
        {
            clientKey[i] = (byte)(proof[i] ^ clientSignature[i]);
        }

        if (!CryptographicOperations.FixedTimeEquals(Algorithm.Digest(clientKey), credential.StoredKey))
        {
            throw new ScramFailureException("SCRAM authentication failed, storedKey mismatch");
        }

        if (SkipEmptyExchange)
        {
            IsSuccess = true;
        }

        return "v=" + Convert.ToBase64String(Algorithm.Hmac(credential.ServerKey, authMessage));
    }

    private byte[] Finish(string message)
    {
        if (message.Length != 0)
        {
            throw new ScramFailureException("The final SCRAM client message must be empty.");
        }

        IsSuccess = true;
        return [];
    }

    private static string DecodeSaslName(string name)
    {
        var builder = new StringBuilder(name.Length);
        for (var i = 0; i < name.Length; i++)
        {
            if (name[i] != '=')
            {
                builder.Append(name[i]);
            }
            else if (string.CompareOrdinal(name, i, "=2C", 0, 3) == 0)
            {
                builder.Append(',');
                i += 2;
            }
            else if (string.CompareOrdinal(name, i, "=3D", 0, 3) == 0)
            {
                builder.Append('=');
                i += 2;
            }
            else
            {
                throw new ScramFailureException("Invalid '=' escape in the SCRAM user name.");
            }
        }

        return builder.ToString();
    }

    private static string DecodeUtf8(ReadOnlySpan<byte> payload)
    {
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(payload);
        }
        catch (DecoderFallbackException)
        {
            throw new ScramFailureException("The SCRAM message is not valid UTF-8.");
        }
    }
}
