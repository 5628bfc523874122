using System.CommandLine;
using System.Globalization;
using Peerbucket.Storage;

namespace Peerbucket.Cli;

/// <summary>
/// `peerbucket user create|list|delete` and `peerbucket user key create|delete`: the store's users and their key pairs,
/// managed in the data directory (`--data`, as `serve` takes it), also while the server runs — a deleted key stops
/// working at once. The administrator is the server's own key pair (PEERBUCKET_ACCESS_KEY / PEERBUCKET_SECRET_KEY, or
/// the generated one), not one of these users.
/// </summary>
internal static class UserCommands
{
    public static Command Create()
    {
        var command = new Command("user", "Manage the store's users and their access key pairs.");
        command.Subcommands.Add(CreateUser());
        command.Subcommands.Add(ListUsers());
        command.Subcommands.Add(DeleteUser());
        var key = new Command("key", "Add or remove a user's access key pairs.");
        key.Subcommands.Add(CreateKey());
        key.Subcommands.Add(DeleteKey());
        command.Subcommands.Add(key);
        return command;
    }

    private static Option<string?> DataOption() => new("--data") { Description = "Data directory, relative to the working directory (default ./data)." };

    private static ObjectStore Open(string? data) => new(data ?? "data");

    private static Command CreateUser()
    {
        var name = new Argument<string>("name") { Description = "The user's name (what the other verbs take)." };
        var displayName = new Option<string?>("--display-name") { Description = "The display name S3 documents show (default: the name)." };
        var canonicalId = new Option<string?>("--canonical-id") { Description = "The canonical user id (default: 64 random hex digits)." };
        var accessKey = new Option<string?>("--access-key") { Description = "The first key pair's access key (default: random)." };
        var secretKey = new Option<string?>("--secret-key") { Description = "The first key pair's secret key (default: random)." };
        var data = DataOption();
        var command = new Command("create", "Create a user with one key pair, and print the pair.") { name, displayName, canonicalId, accessKey, secretKey, data };
        command.SetAction((parse, cancellationToken) => RunAsync(async () =>
        {
            var store = Open(parse.GetValue(data));
            var user = await store.Users.CreateAsync(parse.GetValue(name)!, parse.GetValue(displayName), parse.GetValue(canonicalId), DateTimeOffset.UtcNow);
            var (key, secret) = await store.Users.CreateKeyAsync(user.Name, parse.GetValue(accessKey), parse.GetValue(secretKey), DateTimeOffset.UtcNow);
            TorrentCliOutput.Field("User", user.Name);
            TorrentCliOutput.Field("Canonical id", user.CanonicalId);
            TorrentCliOutput.Field("Display name", user.DisplayName);
            TorrentCliOutput.Field("Access key", key);
            TorrentCliOutput.Field("Secret key", secret);
        }));
        return command;
    }

    private static Command ListUsers()
    {
        var data = DataOption();
        var command = new Command("list", "List the users, their canonical ids and access keys.") { data };
        command.SetAction((parse, cancellationToken) => RunAsync(() =>
        {
            var store = Open(parse.GetValue(data));
            foreach (var user in store.Users.List())
            {
                Console.Out.WriteLine(string.Join('\t', user.Name, user.CanonicalId, user.DisplayName,
                    user.Created.ToString("u", CultureInfo.InvariantCulture), string.Join(',', store.Users.KeysOf(user.Name))));
            }

            return Task.CompletedTask;
        }));
        return command;
    }

    private static Command DeleteUser()
    {
        var name = new Argument<string>("name");
        var data = DataOption();
        var command = new Command("delete", "Delete a user and its key pairs (refused while it owns a bucket).") { name, data };
        command.SetAction((parse, cancellationToken) => RunAsync(() => Open(parse.GetValue(data)).Users.DeleteAsync(parse.GetValue(name)!)));
        return command;
    }

    private static Command CreateKey()
    {
        var name = new Argument<string>("name") { Description = "The user to add the pair to." };
        var accessKey = new Option<string?>("--access-key") { Description = "The access key (default: random)." };
        var secretKey = new Option<string?>("--secret-key") { Description = "The secret key (default: random)." };
        var data = DataOption();
        var command = new Command("create", "Add a key pair to a user, and print it.") { name, accessKey, secretKey, data };
        command.SetAction((parse, cancellationToken) => RunAsync(async () =>
        {
            var (key, secret) = await Open(parse.GetValue(data)).Users.CreateKeyAsync(parse.GetValue(name)!, parse.GetValue(accessKey),
                parse.GetValue(secretKey), DateTimeOffset.UtcNow);
            TorrentCliOutput.Field("Access key", key);
            TorrentCliOutput.Field("Secret key", secret);
        }));
        return command;
    }

    private static Command DeleteKey()
    {
        var accessKey = new Argument<string>("access-key");
        var data = DataOption();
        var command = new Command("delete", "Delete a key pair: requests signed with it fail from now on.") { accessKey, data };
        command.SetAction((parse, cancellationToken) => RunAsync(async () =>
        {
            if (!await Open(parse.GetValue(data)).Users.DeleteKeyAsync(parse.GetValue(accessKey)!))
            {
                throw new StorageException(StorageError.NoSuchUser, $"no access key {parse.GetValue(accessKey)}");
            }
        }));
        return command;
    }

    private static async Task<int> RunAsync(Func<Task> work)
    {
        try
        {
            await work();
            return 0;
        }
        catch (StorageException error)
        {
            return TorrentCliOutput.Fail($"{error.Error}: {error.Message}");
        }
    }
}
