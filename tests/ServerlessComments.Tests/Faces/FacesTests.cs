using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ServerlessComments.Comments;
using ServerlessComments.Faces;
using ServerlessComments.Notifications;
using ServerlessComments.Threads;

namespace ServerlessComments.Tests.Faces;

/// <summary>Avatars: the id the public view carries, the identicon drawn from it, and which face the route serves.</summary>
public sealed class FacesTests
{
    private const string Secret = "faces-tests-link-secret-of-enough-length-0123";

    private static AvatarIds Ids(string secret = Secret, AvatarOptions? options = null) =>
        new(Options.Create(new NotificationOptions { LinkSecret = secret }), Options.Create(options ?? new AvatarOptions()));

    private static StoredComment Comment(string email, bool byOwner = false) => new()
    {
        Id = "c" + Guid.NewGuid().ToString("N")[..8], Thread = "/t/", Author = "Ann", Email = email, Body = "hi",
        CreatedAt = DateTimeOffset.UnixEpoch, Status = CommentStatus.Published, ByOwner = byOwner,
    };

    [Fact]
    public void The_avatar_id_is_a_keyed_hash_the_same_for_an_address_in_any_case_and_unlike_any_plain_hash_of_it()
    {
        var ids = Ids();
        var id = ids.For(Comment("Ann@Example.com"))!;
        Assert.True(AvatarIds.IsWellFormed(id), id);
        Assert.Equal(id, ids.For(Comment(" ann@example.com ")));
        Assert.NotEqual(id, ids.For(Comment("bob@example.com")));
        // Another server's secret gives another id: nobody without the secret can test a guess.
        Assert.NotEqual(id, Ids("another-secret-of-enough-length-abcdefghijklmnop").For(Comment("ann@example.com")));
        foreach (var plain in new[] { MD5.HashData(Encoding.UTF8.GetBytes("ann@example.com")), SHA256.HashData(Encoding.UTF8.GetBytes("ann@example.com")) })
            Assert.DoesNotContain(id, Convert.ToHexStringLower(plain));
    }

    [Fact]
    public void The_public_view_carries_the_avatar_id_and_never_the_address_or_its_plain_hash()
    {
        var comment = Comment("ann@example.com");
        var built = ThreadViewBuilder.Build("/t/", [comment], new ThreadOptions(), Ids());
        var json = Encoding.UTF8.GetString(built.FirstPages[ThreadOrder.Oldest].Json);
        var avatar = JsonDocument.Parse(json).RootElement.GetProperty("comments")[0].GetProperty("avatar").GetString();
        Assert.Equal(Ids().For(comment), avatar);
        Assert.DoesNotContain("ann@example.com", json);
        Assert.DoesNotContain(Avatars.GravatarHash("ann@example.com"), json);
        Assert.DoesNotContain(Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes("ann@example.com"))), json);
    }

    [Fact]
    public async Task A_comment_patched_into_a_stored_view_gets_its_avatar_as_a_full_build_gives_it()
    {
        var world = new ServerlessComments.Tests.Core.CoreWorld();
        var ids = Ids();
        var updater = new ThreadViewUpdater(world.Store, world.Views, Options.Create(world.ThreadSettings),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<ThreadViewUpdater>.Instance, world.SiteCounts, ids);
        var first = Comment("ann@example.com") with { Id = ServerlessComments.Comments.CommentId.New(DateTimeOffset.UnixEpoch) };
        await world.Store.AddOnceAsync(first, default);
        await updater.RefreshAsync(first, default);
        var second = Comment("bob@example.com") with { Id = ServerlessComments.Comments.CommentId.New(DateTimeOffset.UnixEpoch.AddMinutes(1)), CreatedAt = first.CreatedAt.AddMinutes(1) };
        await world.Store.AddOnceAsync(second, default);
        await updater.RefreshAsync(second, default);

        var page = await world.Reading.ReadAsync("/t/", ThreadOrder.Oldest, null, null, default);
        var avatars = JsonDocument.Parse(page.Json).RootElement.GetProperty("comments").EnumerateArray().Select(c => c.GetProperty("avatar").GetString()).ToList();
        Assert.Equal([ids.For(first), ids.For(second)], avatars);
    }

    [Fact]
    public void Turned_off_there_is_no_avatar_in_the_view_and_an_anonymised_comment_has_none()
    {
        var off = Ids(options: new AvatarOptions { On = false });
        Assert.Null(off.For(Comment("ann@example.com")));
        var json = Encoding.UTF8.GetString(ThreadViewBuilder.Build("/t/", [Comment("ann@example.com")], new ThreadOptions(), off).FirstPages[ThreadOrder.Oldest].Json);
        Assert.DoesNotContain("avatar", json);
        Assert.Null(Ids().For(Comment("")));
    }

    [Fact]
    public void The_owners_comments_show_the_owners_picture_when_one_is_configured()
    {
        Assert.Equal(AvatarIds.Owner, Ids(options: new AvatarOptions { OwnerPicture = "https://blog.example.com/me.png" }).For(Comment("me@example.com", byOwner: true)));
        Assert.NotEqual(AvatarIds.Owner, Ids().For(Comment("me@example.com", byOwner: true)));
    }

    [Theory]
    [InlineData("0123456789abcdef", true)]
    [InlineData("owner", true)]
    [InlineData("0123456789ABCDEF", false)]
    [InlineData("0123456789abcde", false)]
    [InlineData("../../etc/passwd", false)]
    [InlineData("", false)]
    public void Only_ids_the_server_makes_are_well_formed(string id, bool ok) => Assert.Equal(ok, AvatarIds.IsWellFormed(id));

    [Fact]
    public void An_identicon_is_a_mirrored_five_by_five_grid_drawn_the_same_every_time()
    {
        var ids = Enumerable.Range(0, 200).Select(i => Ids().ForAddress($"reader{i}@example.com")).ToList();
        foreach (var id in ids)
        {
            var grid = Identicon.Grid(id);
            for (var row = 0; row < 5; row++)
                for (var col = 0; col < 5; col++)
                    Assert.Equal(grid[row, col], grid[row, 4 - col]);
            Assert.Equal(Identicon.Svg(id), Identicon.Svg(id));
            Assert.InRange(Identicon.Hue(id), 0, 359);
        }
        // Faces tell readers apart: 200 readers, nearly as many faces and many colours.
        Assert.True(ids.Select(Identicon.Svg).Distinct().Count() >= 195);
        Assert.True(ids.Select(Identicon.Hue).Distinct().Count() >= 100);
    }

    [Fact]
    public void An_identicon_is_a_small_well_formed_svg_with_nothing_that_runs_or_loads()
    {
        var svg = Identicon.Svg("0123456789abcdef");
        var root = XDocument.Parse(svg).Root!;
        Assert.Equal(XName.Get("svg", "http://www.w3.org/2000/svg"), root.Name);
        Assert.Equal(["g", "rect"], root.Descendants().Select(e => e.Name.LocalName).Distinct().Order());
        Assert.DoesNotContain("href", svg);
        Assert.InRange(Encoding.UTF8.GetByteCount(svg), 100, 2000);
    }

    private sealed class Directory : IAvatarDirectory
    {
        public readonly Dictionary<string, string> Rows = [];
        public Task RememberAsync(string avatarId, string gravatarHash, CancellationToken cancellationToken) { Rows[avatarId] = gravatarHash; return Task.CompletedTask; }
        public Task<string?> GravatarHashAsync(string avatarId, CancellationToken cancellationToken) => Task.FromResult(Rows.GetValueOrDefault(avatarId));
        public Task ForgetAsync(string avatarId, CancellationToken cancellationToken) { Rows.Remove(avatarId); return Task.CompletedTask; }
    }

    /// <summary>The core's port over pictures: answers a picture for the addresses it knows.</summary>
    private sealed class Pictures : IPictureFetcher
    {
        public readonly Dictionary<string, Picture> Known = [];
        public readonly List<Uri> Asked = [];
        public Task<Picture?> FetchAsync(Uri address, CancellationToken cancellationToken)
        {
            Asked.Add(address);
            return Task.FromResult(Known.GetValueOrDefault(address.AbsoluteUri));
        }
    }

    private static (Avatars Avatars, Directory Directory, Pictures Pictures, AvatarIds Ids) World(AvatarOptions options)
    {
        var ids = Ids(options: options);
        var directory = new Directory();
        var pictures = new Pictures();
        return (new Avatars(ids, Options.Create(options), directory, pictures, new FakeTimeProvider()), directory, pictures, ids);
    }

    private static readonly Picture Png = new([0x89, 0x50, 0x4e, 0x47], "image/png");

    [Fact]
    public async Task Imported_readers_keep_their_gravatar_when_it_is_on_and_nothing_is_kept_when_it_is_off()
    {
        var wxr = ServerlessComments.Tests.Core.ImportTests.Wxr(
            ServerlessComments.Tests.Core.ImportTests.Comment(1, email: "ann@example.com") +
            ServerlessComments.Tests.Core.ImportTests.Comment(2, email: "ANN@example.com", parent: 1) +
            ServerlessComments.Tests.Core.ImportTests.Comment(3, email: "bob@example.com", approved: "0") +
            ServerlessComments.Tests.Core.ImportTests.Comment(4, email: "spammer@example.com", approved: "spam") +
            ServerlessComments.Tests.Core.ImportTests.Comment(5, email: "owner@blog.example.com", user: 1, author: "Owner"));
        foreach (var gravatar in new[] { true, false })
        {
            var (avatars, directory, _, ids) = World(new AvatarOptions { Gravatar = gravatar });
            var world = new ServerlessComments.Tests.Core.CoreWorld();
            var importing = new ServerlessComments.Import.ImportingComments(world.Store, world.Authors, world.Updater, world.OwnerRules,
                Microsoft.Extensions.Logging.Abstractions.NullLogger<ServerlessComments.Import.ImportingComments>.Instance, avatars);
            await importing.ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(wxr)), new ServerlessComments.Import.ImportOptions(), default);
            Assert.Equal(5, world.Store.All.Count);
            if (!gravatar)
            {
                Assert.Empty(directory.Rows);
                continue;
            }
            // Ann once for her two comments, Bob's held one too; not the spammer, not the owner (whose picture is configured).
            Assert.Equal(new Dictionary<string, string>
            {
                [ids.ForAddress("ann@example.com")] = Avatars.GravatarHash("ann@example.com"),
                [ids.ForAddress("bob@example.com")] = Avatars.GravatarHash("bob@example.com"),
            }, directory.Rows);
        }
    }

    [Fact]
    public async Task With_gravatar_on_the_readers_gravatar_is_served_then_after_an_erasure_only_the_identicon()
    {
        var (avatars, directory, pictures, ids) = World(new AvatarOptions { Gravatar = true, GravatarBaseUrl = "http://127.0.0.1:1/avatar/" });
        var comment = Comment("Ann@Example.com");
        await avatars.RememberAsync(comment, default);
        var id = ids.For(comment)!;
        pictures.Known[$"http://127.0.0.1:1/avatar/{Avatars.GravatarHash("ann@example.com")}?s=96&d=404"] = Png;

        var face = (await avatars.FaceAsync(id, default))!;
        Assert.False(face.IsIdenticon);
        Assert.Equal(Png.Bytes, face.Bytes);

        await avatars.ForgetAsync("ann@example.com", default);
        Assert.Empty(directory.Rows);
        face = (await avatars.FaceAsync(id, default))!;
        Assert.True(face.IsIdenticon);
        Assert.Equal("image/svg+xml", face.ContentType);
    }

    [Fact]
    public async Task With_gravatar_off_nothing_is_kept_or_fetched_and_a_reader_without_one_gets_the_identicon()
    {
        var (avatars, directory, pictures, ids) = World(new AvatarOptions());
        await avatars.RememberAsync(Comment("ann@example.com"), default);
        Assert.Empty(directory.Rows);
        Assert.True((await avatars.FaceAsync(ids.ForAddress("ann@example.com"), default))!.IsIdenticon);
        Assert.Empty(pictures.Asked);

        (avatars, _, pictures, ids) = World(new AvatarOptions { Gravatar = true });
        await avatars.RememberAsync(Comment("nobody@example.com"), default);
        Assert.True((await avatars.FaceAsync(ids.ForAddress("nobody@example.com"), default))!.IsIdenticon);
        Assert.True((await avatars.FaceAsync(ids.ForAddress("nobody@example.com"), default))!.IsIdenticon);
        Assert.Single(pictures.Asked); // "none" is remembered for a while too
    }

    [Fact]
    public async Task The_owner_id_serves_the_configured_picture_and_bad_ids_or_avatars_off_serve_nothing()
    {
        var (avatars, _, pictures, _) = World(new AvatarOptions { OwnerPicture = "https://blog.example.com/me.png" });
        pictures.Known["https://blog.example.com/me.png"] = Png;
        Assert.Equal(Png.Bytes, (await avatars.FaceAsync(AvatarIds.Owner, default))!.Bytes);
        Assert.Null(await avatars.FaceAsync("not-an-id", default));
        Assert.Null(await World(new AvatarOptions { On = false }).Avatars.FaceAsync("0123456789abcdef", default));
    }
}
