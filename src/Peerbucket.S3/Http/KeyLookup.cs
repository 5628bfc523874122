using Peerbucket.S3.Handlers;
using Peerbucket.Storage.Access;
using Peerbucket.Storage.Metadata;

namespace Peerbucket.S3.Http;

/// <summary>
/// One request's access-key lookup: the administrator's key pair is the server's own (<see cref="S3Options"/>); every
/// other key is a user's, looked up in the store each time, so a deleted key stops working at once. A signature check
/// asks <see cref="SecretFor"/>; the key it verified becomes the request's <see cref="PrincipalFor"/>.
/// </summary>
internal sealed class KeyLookup(S3Options options, UserRepository users)
{
    private string? _userId, _userName;

    public string? SecretFor(string accessKey)
    {
        if (string.Equals(accessKey, options.AccessKey, StringComparison.Ordinal))
        {
            (_userId, _userName) = (null, null);
            return options.SecretKey;
        }

        var found = users.FindKey(accessKey);
        (_userId, _userName) = (found?.User.CanonicalId, found?.User.Name);
        return found?.Secret;
    }

    /// <summary>Who signed with <paramref name="accessKey"/>, the key <see cref="SecretFor"/> last found.</summary>
    public Principal PrincipalFor(string accessKey) => new(accessKey, _userId)
    {
        CanonicalId = _userId ?? Owner.Administrator(options.AccessKey).Id,
        UserName = _userName,
    };
}
