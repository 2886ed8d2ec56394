using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Driver;
using WearIt.ApiService.Features.Auth;
using WearIt.ApiService.Features.Bodies;
using WearIt.ApiService.Features.Credits;
using WearIt.ApiService.Features.Users;
using WearIt.ServiceDefaults.Databases;

namespace WearIt.Tests.Repositories;

/// <summary>
/// The MongoDB repositories' trickier predicates render to the intended MQL. This needs no server, so it runs
/// everywhere, while the full MongoDB contract suites need <c>WEARIT_TEST_MONGODB</c>.
/// </summary>
public sealed class MongoQueryTranslationTests
{
    public MongoQueryTranslationTests() => MongoDBClientRegistration.ConfigureDriver();

    [Fact]
    public void RevokingAllButOneSessionComparesTheFamilyWithANullableGuid()
    {
        var user = Guid.NewGuid();
        Guid? keep = Guid.NewGuid();

        var mql = Render<RefreshToken>(token => token.UserId == user && token.RevokedAt == null && token.FamilyId != keep);

        Assert.Equal(new BsonBinaryData(user, GuidRepresentation.Standard), mql["UserId"]);
        Assert.Equal(BsonNull.Value, mql["RevokedAt"]);
        Assert.Equal(new BsonBinaryData(keep.Value, GuidRepresentation.Standard), mql["FamilyId"]["$ne"]);
    }

    [Fact]
    public void OptimisticReplacementFiltersOnIdAndVersion()
    {
        var id = Guid.NewGuid();

        var mql = Render<User>(user => user.Id == id && user.Version == 3);

        Assert.Equal(new BsonBinaryData(id, GuidRepresentation.Standard), mql["_id"]);
        Assert.Equal(3, mql["Version"].AsInt32);
    }

    [Fact]
    public void OwnershipScopedLookupsFilterOnBothIds()
    {
        var (id, owner) = (Guid.NewGuid(), Guid.NewGuid());

        var mql = Render<Body>(body => body.Id == id && body.UserId == owner);

        Assert.Equal(2, mql.ElementCount);
        Assert.Equal(new BsonBinaryData(owner, GuidRepresentation.Standard), mql["UserId"]);
    }

    [Fact]
    public void DecimalsAndGuidsUseTheirNativeBsonTypes()
    {
        var entry = new CreditEntry { UserId = Guid.NewGuid(), IdempotencyKey = "k" };

        var document = entry.ToBsonDocument();
        var price = new WearIt.ApiService.Features.Catalog.Product { Price = 19.99m }.ToBsonDocument();

        Assert.Equal(BsonType.Binary, document["UserId"].BsonType);
        Assert.Equal(BsonBinarySubType.UuidStandard, document["UserId"].AsBsonBinaryData.SubType);
        Assert.Equal(BsonType.Decimal128, price["Price"].BsonType);
    }

    private static BsonDocument Render<T>(System.Linq.Expressions.Expression<Func<T, bool>> predicate) =>
        Builders<T>.Filter.Where(predicate).Render(new RenderArgs<T>(BsonSerializer.LookupSerializer<T>(), BsonSerializer.SerializerRegistry));
}
