using WearIt.ApiService.Features.Bodies;
using WearIt.ApiService.Features.Catalog;
using WearIt.ApiService.Features.Favorites;
using WearIt.ApiService.Features.Payments;
using WearIt.ApiService.Features.Wardrobe;
using WearIt.ApiService.Images;

namespace WearIt.Tests.Repositories;

/// <summary>What every <see cref="IBodyRepository"/> must do.</summary>
public abstract class BodyRepositoryContract : RepositoryContract<IBodyRepository>
{
    protected override IBodyRepository Create(ITestDatabase database) =>
        database.Create<IBodyRepository>(mongo => new MongoBodyRepository(mongo), lite => new LiteDbBodyRepository(lite));

    [Fact]
    public async Task BodiesAreScopedToTheirOwnerAndExactlyOneIsDefault()
    {
        var owner = Guid.NewGuid();
        var stranger = Guid.NewGuid();
        var first = NewBody(owner, minutesAgo: 2, isDefault: true);
        var second = NewBody(owner, minutesAgo: 1, isDefault: false);
        await Repository.InsertAsync(first, Cancellation);
        await Repository.InsertAsync(second, Cancellation);

        Assert.Null(await Repository.FindAsync(stranger, first.Id, Cancellation));
        Assert.False(await Repository.SetDefaultAsync(stranger, first.Id, Cancellation));
        Assert.False(await Repository.DeleteAsync(stranger, first.Id, Cancellation));
        Assert.True(await Repository.SetDefaultAsync(owner, second.Id, Cancellation));

        var bodies = await Repository.ListAsync(owner, Cancellation);
        Assert.Equal([second.Id, first.Id], bodies.Select(body => body.Id));
        Assert.Equal([true, false], bodies.Select(body => body.IsDefault));
        Assert.Equal("users/x/original.jpg", bodies[0].Image.Key);
    }

    [Fact]
    public async Task DeletingAllOfAUsersBodiesLeavesOthers()
    {
        var owner = Guid.NewGuid();
        var other = NewBody(Guid.NewGuid(), 0, true);
        await Repository.InsertAsync(NewBody(owner, 0, true), Cancellation);
        await Repository.InsertAsync(other, Cancellation);

        await Repository.DeleteAllForUserAsync(owner, Cancellation);

        Assert.Empty(await Repository.ListAsync(owner, Cancellation));
        Assert.NotNull(await Repository.FindAsync(other.UserId, other.Id, Cancellation));
    }

    [Fact]
    public async Task AnAnalysisIsRecordedOnceOnlyForItsOwnersBodyWhileItAwaitsOne()
    {
        var owner = Guid.NewGuid();
        var body = NewBody(owner, 0, true);
        body.Status = BodyStatus.Processing;
        await Repository.InsertAsync(body, Cancellation);
        var analysis = new BodyAnalysis { Width = 10, Height = 20, Face = [1, 2, 3, 4], Landmarks = [0.5f, 1.5f], Wears = ["upper"], PersonMaskKey = "users/x/analysis/a/person.png" };

        var byStranger = await Repository.CompleteAnalysisAsync(Guid.NewGuid(), body.Id, BodyStatus.Ready, null, null, analysis, Cancellation);
        var first = await Repository.CompleteAnalysisAsync(owner, body.Id, BodyStatus.Ready, null, null, analysis, Cancellation);
        var again = await Repository.CompleteAnalysisAsync(owner, body.Id, BodyStatus.Rejected, "multiple_people", "Two people.", null, Cancellation);
        var missing = await Repository.CompleteAnalysisAsync(owner, Guid.NewGuid(), BodyStatus.Ready, null, null, analysis, Cancellation);

        Assert.Equal((false, true, false, false), (byStranger, first, again, missing));
        var stored = await Repository.FindAsync(owner, body.Id, Cancellation);
        Assert.Equal(BodyStatus.Ready, stored!.Status);
        Assert.Equal(["upper"], stored.Analysis!.Wears);
        Assert.Equal([1f, 2f, 3f, 4f], stored.Analysis.Face);
        Assert.Equal("users/x/analysis/a/person.png", stored.Analysis.PersonMaskKey);
    }

    [Fact]
    public async Task ABodyFromBeforeAnalysesCanStillGetOneAndARejectionKeepsItsReason()
    {
        var owner = Guid.NewGuid();
        var legacy = NewBody(owner, 0, true);
        await Repository.InsertAsync(legacy, Cancellation);

        Assert.True(await Repository.CompleteAnalysisAsync(owner, legacy.Id, BodyStatus.Rejected, "person_not_facing", "Turned away.", null, Cancellation));

        var stored = await Repository.FindAsync(owner, legacy.Id, Cancellation);
        Assert.Equal((BodyStatus.Rejected, "person_not_facing", "Turned away."), (stored!.Status, stored.RejectionCode, stored.RejectionMessage));
        Assert.False(await Repository.CompleteAnalysisAsync(owner, legacy.Id, BodyStatus.Ready, null, null, new BodyAnalysis(), Cancellation));
    }

    [Fact]
    public async Task BodiesAwaitingTheirAnalysisAreListedOldestFirstAcrossUsers()
    {
        var older = NewBody(Guid.NewGuid(), 5, true);
        var newer = NewBody(Guid.NewGuid(), 1, true);
        var ready = NewBody(Guid.NewGuid(), 9, true);
        older.Status = BodyStatus.Processing;
        newer.Status = BodyStatus.Processing;
        foreach (var body in new[] { newer, ready, older })
        {
            await Repository.InsertAsync(body, Cancellation);
        }

        var waiting = (await Repository.ListProcessingAsync(1000, Cancellation)).Select(body => body.Id).ToList();

        Assert.DoesNotContain(ready.Id, waiting);
        Assert.True(waiting.IndexOf(older.Id) >= 0 && waiting.IndexOf(older.Id) < waiting.IndexOf(newer.Id), "oldest first");
    }

    private static Body NewBody(Guid owner, int minutesAgo, bool isDefault) => new()
    {
        Id = Guid.CreateVersion7(),
        UserId = owner,
        IsDefault = isDefault,
        Image = new StoredImage { Key = "users/x/original.jpg", ThumbnailKey = "users/x/thumbnail.jpg", ContentType = "image/jpeg", Width = 10, Height = 20 },
        CreatedAt = Now().AddMinutes(-minutesAgo),
    };
}

public sealed class LiteDbBodyRepositoryTests : BodyRepositoryContract
{
    protected override ITestDatabase OpenDatabase() => new LiteTestDatabase();
}

public sealed class MongoBodyRepositoryTests : BodyRepositoryContract
{
    protected override ITestDatabase OpenDatabase() => MongoTestDatabase.OpenOrSkip();
}

/// <summary>What every <see cref="IWardrobeRepository"/> must do.</summary>
public abstract class WardrobeRepositoryContract : RepositoryContract<IWardrobeRepository>
{
    protected override IWardrobeRepository Create(ITestDatabase database) =>
        database.Create<IWardrobeRepository>(mongo => new MongoWardrobeRepository(mongo), lite => new LiteDbWardrobeRepository(lite));

    [Fact]
    public async Task ItemsAreFilteredByCategoryAndScopedToTheirOwner()
    {
        var owner = Guid.NewGuid();
        var top = NewItem(owner, "tops");
        var skirt = NewItem(owner, "bottoms");
        await Repository.InsertAsync(top, Cancellation);
        await Repository.InsertAsync(skirt, Cancellation);
        await Repository.InsertAsync(NewItem(Guid.NewGuid(), "tops"), Cancellation);

        Assert.Equal([top.Id], (await Repository.ListAsync(owner, "tops", Cancellation)).Select(item => item.Id));
        Assert.Equal(2, (await Repository.ListAsync(owner, null, Cancellation)).Count);
        Assert.Null(await Repository.FindAsync(Guid.NewGuid(), top.Id, Cancellation));
    }

    [Fact]
    public async Task OnlyTheOwnerReplacesOrDeletes()
    {
        var owner = Guid.NewGuid();
        var item = NewItem(owner, "tops");
        await Repository.InsertAsync(item, Cancellation);

        var hijack = NewItem(Guid.NewGuid(), "tops");
        hijack.Id = item.Id;
        Assert.False(await Repository.ReplaceAsync(hijack, Cancellation));
        Assert.False(await Repository.DeleteAsync(Guid.NewGuid(), item.Id, Cancellation));
        item.Name = "Renamed";
        Assert.True(await Repository.ReplaceAsync(item, Cancellation));
        Assert.Equal("Renamed", (await Repository.FindAsync(owner, item.Id, Cancellation))!.Name);
        Assert.True(await Repository.DeleteAsync(owner, item.Id, Cancellation));
    }

    private static WardrobeItem NewItem(Guid owner, string category) => new()
    {
        Id = Guid.CreateVersion7(),
        UserId = owner,
        Name = "Item",
        Category = category,
        ClothType = category == "bottoms" ? "lower" : "upper",
        Image = new StoredImage { Key = "k", ThumbnailKey = "t", ContentType = "image/png", HasAlpha = true },
        CreatedAt = Now(),
    };
}

public sealed class LiteDbWardrobeRepositoryTests : WardrobeRepositoryContract
{
    protected override ITestDatabase OpenDatabase() => new LiteTestDatabase();
}

public sealed class MongoWardrobeRepositoryTests : WardrobeRepositoryContract
{
    protected override ITestDatabase OpenDatabase() => MongoTestDatabase.OpenOrSkip();
}

/// <summary>What every <see cref="IProductRepository"/> must do.</summary>
public abstract class ProductRepositoryContract : RepositoryContract<IProductRepository>
{
    protected override IProductRepository Create(ITestDatabase database) =>
        database.Create<IProductRepository>(mongo => new MongoProductRepository(mongo), lite => new LiteDbProductRepository(lite));

    [Fact]
    public async Task AProductRoundTripsWithPriceColoursAndImages()
    {
        Assert.False(await Repository.AnyAsync(Cancellation));
        var product = NewProduct();

        await Repository.InsertAsync(product, Cancellation);
        var stored = await Repository.FindAsync(product.Id, Cancellation);

        Assert.True(await Repository.AnyAsync(Cancellation));
        Assert.Equal(19.99m, stored!.Price);
        Assert.Equal("#008080", stored.Colors.Single().Hex);
        Assert.Equal(["S", "M"], stored.Sizes);
        Assert.Equal("catalog/p/i/original.png", stored.Images.Single().Image.Key);
        Assert.Single(await Repository.ListAllAsync(Cancellation));
    }

    [Fact]
    public async Task ReplacingChecksTheVersionAndDeleteRemoves()
    {
        var product = NewProduct();
        await Repository.InsertAsync(product, Cancellation);
        var stale = (await Repository.FindAsync(product.Id, Cancellation))!;

        product.Title = "Fresh";
        Assert.True(await Repository.TryReplaceAsync(product, Cancellation));
        stale.Title = "Stale";
        Assert.False(await Repository.TryReplaceAsync(stale, Cancellation));
        Assert.Equal("Fresh", (await Repository.FindAsync(product.Id, Cancellation))!.Title);
        Assert.True(await Repository.DeleteAsync(product.Id, Cancellation));
        Assert.False(await Repository.DeleteAsync(product.Id, Cancellation));
    }

    private static Product NewProduct() => new()
    {
        Id = Guid.CreateVersion7(),
        Title = "Tee",
        Brand = "B",
        Category = "tops",
        ClothType = "upper",
        Gender = "unisex",
        Colors = [new ProductColor { Name = "teal", Hex = "#008080" }],
        Price = 19.99m,
        Sizes = ["S", "M"],
        Images = [new ProductImage { Id = Guid.NewGuid(), Image = new StoredImage { Key = "catalog/p/i/original.png", ThumbnailKey = "catalog/p/i/thumbnail.png" } }],
        CreatedAt = Now(),
        UpdatedAt = Now(),
    };
}

public sealed class LiteDbProductRepositoryTests : ProductRepositoryContract
{
    protected override ITestDatabase OpenDatabase() => new LiteTestDatabase();
}

public sealed class MongoProductRepositoryTests : ProductRepositoryContract
{
    protected override ITestDatabase OpenDatabase() => MongoTestDatabase.OpenOrSkip();
}

/// <summary>What every <see cref="IFavoriteRepository"/> must do.</summary>
public abstract class FavoriteRepositoryContract : RepositoryContract<IFavoriteRepository>
{
    protected override IFavoriteRepository Create(ITestDatabase database) =>
        database.Create<IFavoriteRepository>(mongo => new MongoFavoriteRepository(mongo), lite => new LiteDbFavoriteRepository(lite));

    [Fact]
    public async Task AnOutfitIsSavedOnceAndFoundByItsKey()
    {
        var owner = Guid.NewGuid();
        var first = NewFavorite(owner, "key-1");

        Assert.True(await Repository.TryInsertAsync(first, Cancellation));
        Assert.False(await Repository.TryInsertAsync(NewFavorite(owner, "key-1"), Cancellation));
        Assert.Equal(first.Id, (await Repository.FindByOutfitKeyAsync("key-1", Cancellation))!.Id);
        Assert.Single(await Repository.ListAsync(owner, Cancellation));
        Assert.Equal("wardrobe", (await Repository.FindAsync(owner, first.Id, Cancellation))!.Items.Single().Source);
    }

    [Fact]
    public async Task FavoritesAreScopedToTheirOwner()
    {
        var owner = Guid.NewGuid();
        var favorite = NewFavorite(owner, "key-2");
        await Repository.TryInsertAsync(favorite, Cancellation);

        Assert.Null(await Repository.FindAsync(Guid.NewGuid(), favorite.Id, Cancellation));
        Assert.False(await Repository.DeleteAsync(Guid.NewGuid(), favorite.Id, Cancellation));
        await Repository.DeleteAllForUserAsync(owner, Cancellation);
        Assert.Empty(await Repository.ListAsync(owner, Cancellation));
    }

    private static Favorite NewFavorite(Guid owner, string key) => new()
    {
        Id = Guid.CreateVersion7(),
        UserId = owner,
        Name = "Outfit",
        Items = [new OutfitItem { Source = "wardrobe", Id = Guid.NewGuid() }],
        OutfitKey = key,
        CreatedAt = Now(),
    };
}

public sealed class LiteDbFavoriteRepositoryTests : FavoriteRepositoryContract
{
    protected override ITestDatabase OpenDatabase() => new LiteTestDatabase();
}

public sealed class MongoFavoriteRepositoryTests : FavoriteRepositoryContract
{
    protected override ITestDatabase OpenDatabase() => MongoTestDatabase.OpenOrSkip();
}

/// <summary>What every <see cref="IPaymentRepository"/> must do.</summary>
public abstract class PaymentRepositoryContract : RepositoryContract<IPaymentRepository>
{
    protected override IPaymentRepository Create(ITestDatabase database) =>
        database.Create<IPaymentRepository>(
            mongo => new MongoPaymentRepository(mongo), lite => new LiteDbPaymentRepository(lite));

    [Fact]
    public async Task AnEventAndAPurchaseAreStoredOnce()
    {
        var owner = Guid.NewGuid();
        var stored = new PaymentEvent { Id = "evt_1" + owner.ToString("N"), Type = "checkout.session.completed", UserId = owner, Payload = "{}", ReceivedAt = Now() };

        Assert.True(await Repository.TryInsertEventAsync(stored, Cancellation));
        Assert.False(await Repository.TryInsertEventAsync(stored, Cancellation));
        Assert.True(await Repository.TryInsertPurchaseAsync(NewPurchase(owner, "cs_a", "pi_a"), Cancellation));
        Assert.False(await Repository.TryInsertPurchaseAsync(NewPurchase(owner, "cs_a", "pi_a"), Cancellation));

        Assert.Equal("{}", (await Repository.FindEventAsync(stored.Id, Cancellation))?.Payload);
        Assert.Equal("cs_a", (await Repository.FindPurchaseByPaymentIntentAsync("pi_a", Cancellation))?.Id);
        Assert.Null(await Repository.FindPurchaseByPaymentIntentAsync("pi_none", Cancellation));
    }

    [Fact]
    public async Task TheRefundedAmountOnlyRises()
    {
        var owner = Guid.NewGuid();
        await Repository.TryInsertPurchaseAsync(NewPurchase(owner, "cs_r" + owner.ToString("N"), "pi_r" + owner.ToString("N")), Cancellation);

        await Repository.RaiseRefundedAmountAsync("cs_r" + owner.ToString("N"), 700, Cancellation);
        await Repository.RaiseRefundedAmountAsync("cs_r" + owner.ToString("N"), 300, Cancellation);

        Assert.Equal(700, (await Repository.FindPurchaseByPaymentIntentAsync("pi_r" + owner.ToString("N"), Cancellation))!.RefundedAmount);
    }

    [Fact]
    public async Task PurchasesAreListedNewestFirstForTheirOwnerAndDeletedWithTheirEvents()
    {
        var (owner, other) = (Guid.NewGuid(), Guid.NewGuid());
        var older = NewPurchase(owner, "cs_old" + owner.ToString("N"), null);
        older.PaidAt = Now().AddMinutes(-5);
        await Repository.TryInsertPurchaseAsync(older, Cancellation);
        await Repository.TryInsertPurchaseAsync(NewPurchase(owner, "cs_new" + owner.ToString("N"), null), Cancellation);
        await Repository.TryInsertPurchaseAsync(NewPurchase(other, "cs_other" + other.ToString("N"), null), Cancellation);
        await Repository.TryInsertEventAsync(new() { Id = "evt_o" + owner.ToString("N"), Type = "t", UserId = owner, Payload = "{}", ReceivedAt = Now() }, Cancellation);

        var listed = await Repository.ListPurchasesAsync(owner, Cancellation);
        await Repository.DeleteAllForUserAsync(owner, Cancellation);

        Assert.Equal(["cs_new" + owner.ToString("N"), "cs_old" + owner.ToString("N")], listed.Select(purchase => purchase.Id));
        Assert.Empty(await Repository.ListPurchasesAsync(owner, Cancellation));
        Assert.Null(await Repository.FindEventAsync("evt_o" + owner.ToString("N"), Cancellation));
        Assert.Single(await Repository.ListPurchasesAsync(other, Cancellation));
    }

    private static Purchase NewPurchase(Guid owner, string id, string? paymentIntent) => new()
    {
        Id = id,
        UserId = owner,
        PackId = "pack-50",
        Credits = 50,
        Amount = 1999,
        Currency = "usd",
        PaymentIntentId = paymentIntent,
        PaidAt = Now(),
    };
}

public sealed class LiteDbPaymentRepositoryTests : PaymentRepositoryContract
{
    protected override ITestDatabase OpenDatabase() => new LiteTestDatabase();
}

public sealed class MongoPaymentRepositoryTests : PaymentRepositoryContract
{
    protected override ITestDatabase OpenDatabase() => MongoTestDatabase.OpenOrSkip();
}
