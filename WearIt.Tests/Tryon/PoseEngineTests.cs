using SkiaSharp;
using WearIt.ApiService.Features.Catalog;
using WearIt.Tests.Support;
using WearIt.TryonService.Engine;
using WearIt.TryonService.Engine.Fitting;
using WearIt.TryonService.Engine.Vision;

namespace WearIt.Tests.Tryon;

/// <summary>One set of vision models for every engine test (loading them takes a few hundred milliseconds).</summary>
public sealed class EngineModelsFixture : IDisposable
{
    public EngineModels Models { get; } = EngineModels.Load();

    public void Dispose() => Models.Dispose();
}

/// <summary>The pose engine on real photos with drawn catalog garments.</summary>
public sealed class PoseEngineTests(EngineModelsFixture fixture) : IClassFixture<EngineModelsFixture>
{
    private readonly PoseTryonEngine _engine = new(fixture.Models.Analyzer, fixture.Models.Garments);

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private static GarmentInput Top => new("upper", GarmentArtist.Draw(GarmentKind.Tee, SKColors.Crimson));

    private static GarmentInput Trousers => new("lower", GarmentArtist.Draw(GarmentKind.Trousers, SKColors.Navy));

    private static GarmentInput Dress => new("dress", GarmentArtist.Draw(GarmentKind.Dress, SKColors.MediumVioletRed));

    [Fact]
    public async Task OnlyTheGarmentRegionChangesAndTheFaceStaysExactlyThePhotos()
    {
        var photo = TestPhotos.AstronautOrSkip();
        using var original = SKBitmap.Decode(photo);
        var person = fixture.Models.Analyzer.Analyse(original.Copy(SKColorType.Rgba8888));

        var result = await _engine.RunAsync(new TryonRequest(photo, [Top], TryonMode.Quality, Seed: 1), new Progress<TryonProgress>(), Cancellation);

        using var output = SKBitmap.Decode(result.Image);
        Assert.Equal((original.Width, original.Height), (output.Width, output.Height));
        var region = Assert.Single(result.GarmentRegions);
        var (inRegion, coveredRegion) = (0, 0);
        for (var y = 0; y < original.Height; y++)
        {
            for (var x = 0; x < original.Width; x++)
            {
                var changed = original.GetPixel(x, y) != output.GetPixel(x, y);
                Assert.False(changed && !region.Contains(x, y), $"pixel ({x},{y}) outside the dressed region changed");
                Assert.False(changed && person.Face.Contains(x, y), $"pixel ({x},{y}) of the face changed");
                Assert.False(changed && person.Head.Contains(x, y) && y < person.Face.MidY, $"pixel ({x},{y}) of the hair changed");
                if (person.UpperRegion[(y * original.Width) + x] != 0)
                {
                    inRegion++;
                    coveredRegion += changed ? 1 : 0;
                }
            }
        }

        Assert.True(coveredRegion >= 0.9 * inRegion, $"the top should cover at least 90 % of the torso, covered {coveredRegion} of {inRegion}");
        Assert.True(person.Head.Contains(person.Face), "the protected head holds the whole face box");
    }

    [Fact]
    public async Task TheGarmentKeepsThePhotosLightAndFollowsTheArms()
    {
        var photo = TestPhotos.MessiOrSkip();
        using var original = SKBitmap.Decode(photo);
        var person = fixture.Models.Analyzer.Analyse(original.Copy(SKColorType.Rgba8888));
        var shirt = new GarmentInput("upper", GarmentArtist.Draw(GarmentKind.Shirt, SKColors.SteelBlue));

        var result = await _engine.RunAsync(new TryonRequest(photo, [shirt], TryonMode.Quality, Seed: 1), new Progress<TryonProgress>(), Cancellation);

        using var output = SKBitmap.Decode(result.Image);
        // A long sleeve reaches along each outstretched arm, halfway from the elbow to the wrist.
        foreach (var (elbow, wrist) in new[] { (Body.LeftElbow, Body.LeftWrist), (Body.RightElbow, Body.RightWrist) })
        {
            var forearm = PersonAnalysis.Mid(person[elbow], person[wrist]);
            Assert.NotEqual(original.GetPixel((int)forearm.X, (int)forearm.Y), output.GetPixel((int)forearm.X, (int)forearm.Y));
        }

        // The flat drawing is one colour; on the body it is shaded: the dressed torso shows a spread of brightness.
        var torso = new List<float>();
        for (var y = (int)person.ShoulderCentre.Y + 5; y < (int)person.HipCentre.Y; y++)
        {
            var x = (int)(person.ShoulderCentre.X + ((person.HipCentre.X - person.ShoulderCentre.X) * (y - person.ShoulderCentre.Y) / (person.HipCentre.Y - person.ShoulderCentre.Y)));
            var pixel = output.GetPixel(x, y);
            torso.Add((pixel.Red + pixel.Green + pixel.Blue) / 3f);
        }

        Assert.True(torso.Max() - torso.Min() > 25, $"the torso's brightness should vary with the photo's light, spread {torso.Max() - torso.Min()}");
    }

    [Fact]
    public async Task AForearmInFrontOfTheTorsoStaysInFrontOfATeeAndALongSleeveCoversIt()
    {
        // basketball1.png's left player holds the ball up: his right forearm crosses his chest.
        var photo = TestPhotos.Cropped(TestPhotos.BasketballOrSkip(), new SKRectI(0, 0, 300, 480));
        using var original = SKBitmap.Decode(photo);
        var person = fixture.Models.Analyzer.Analyse(original.Copy(SKColorType.Rgba8888));
        var forearm = PersonAnalysis.Mid(person[Body.RightElbow], person[Body.RightWrist]);
        var shirt = new GarmentInput("upper", GarmentArtist.Draw(GarmentKind.Shirt, SKColors.SteelBlue));

        var withTee = await _engine.RunAsync(new TryonRequest(photo, [Top], TryonMode.Quality, 1), new Progress<TryonProgress>(), Cancellation);
        var withShirt = await _engine.RunAsync(new TryonRequest(photo, [shirt], TryonMode.Quality, 1), new Progress<TryonProgress>(), Cancellation);

        using var tee = SKBitmap.Decode(withTee.Image);
        using var longSleeves = SKBitmap.Decode(withShirt.Image);
        var (x, y) = ((int)forearm.X, (int)forearm.Y);
        Assert.True(person.Landmarks[Body.RightWrist].Visibility > 0.5f && person.Landmarks[Body.RightElbow].Visibility > 0.5f);
        Assert.Equal(original.GetPixel(x, y), tee.GetPixel(x, y));
        Assert.NotEqual(original.GetPixel(x, y), longSleeves.GetPixel(x, y));
        var chest = PersonAnalysis.Mid(person.ShoulderCentre, person.HipCentre);
        Assert.NotEqual(original.GetPixel((int)chest.X + 25, (int)chest.Y), tee.GetPixel((int)chest.X + 25, (int)chest.Y));
    }

    [Fact]
    public async Task AHandTheModelSeesOnTheChestStaysInFrontOfTheGarment()
    {
        // The astronaut's analysis with her right hand moved onto her chest and seen: the tee goes round it.
        var photo = TestPhotos.AstronautOrSkip();
        using var original = SKBitmap.Decode(photo);
        var person = fixture.Models.Analyzer.Analyse(original.Copy(SKColorType.Rgba8888));
        var chest = PersonAnalysis.Mid(person.ShoulderCentre, person.HipCentre);
        var landmarks = person.Landmarks.ToArray();
        foreach (var (landmark, dx) in new[] { (Body.RightWrist, -12f), (Body.RightIndex, 12f), (Body.RightPinky, 12f) })
        {
            landmarks[landmark] = new Landmark(chest.X + dx, chest.Y, 0, 1);
        }

        var result = await _engine.RunAsync(new TryonRequest(photo, [Top], TryonMode.Quality, 1, person with { Landmarks = landmarks }), new Progress<TryonProgress>(), Cancellation);

        using var output = SKBitmap.Decode(result.Image);
        var hand = new SKPoint(chest.X + 6, chest.Y);
        Assert.Equal(original.GetPixel((int)hand.X, (int)hand.Y), output.GetPixel((int)hand.X, (int)hand.Y));
        Assert.NotEqual(original.GetPixel((int)chest.X, (int)chest.Y + 60), output.GetPixel((int)chest.X, (int)chest.Y + 60));
    }

    [Fact]
    public async Task ASkirtOnALungeCoversTheShortsAndThighsAndEndsAtTheKnees()
    {
        // messi5.jpg kicks: one knee bent low, the other leg stretched out. A skirt spreads from his waist over both
        // thighs (his shorts no longer show) and ends by the knees: his shins and ankles stay his own.
        var photo = TestPhotos.MessiOrSkip();
        using var original = SKBitmap.Decode(photo);
        var person = fixture.Models.Analyzer.Analyse(original.Copy(SKColorType.Rgba8888));
        var skirt = new GarmentInput("lower", GarmentArtist.Draw(GarmentKind.Skirt, SKColors.Goldenrod));

        var result = await _engine.RunAsync(new TryonRequest(photo, [skirt], TryonMode.Quality, 1), new Progress<TryonProgress>(), Cancellation);

        using var output = SKBitmap.Decode(result.Image);
        bool Changed(SKPoint point) => original.GetPixel((int)point.X, (int)point.Y) != output.GetPixel((int)point.X, (int)point.Y);
        foreach (var (hip, knee, ankle) in new[] { (Body.LeftHip, Body.LeftKnee, Body.LeftAnkle), (Body.RightHip, Body.RightKnee, Body.RightAnkle) })
        {
            var thigh = PersonAnalysis.Mid(person[hip], person[knee]);
            var shin = PersonAnalysis.Mid(person[knee], person[ankle]);
            Assert.True(Changed(thigh), $"the middle of the thigh ({thigh}) should be under the skirt");
            Assert.False(Changed(shin), $"the middle of the shin ({shin}) should stay the photo's");
            Assert.False(Changed(person[ankle]), $"the ankle ({person[ankle]}) should stay the photo's");
        }

        var hips = SKPoint.Distance(person[Body.LeftHip], person[Body.RightHip]);
        var belowHips = person.HipCentre + new SKPoint(0, 0.15f * hips);
        Assert.True(Changed(belowHips), "the shorts between the hips should be under the skirt");
    }

    [Fact]
    public async Task ASleevelessDressUncoversTheOldSleevesAndNecklineAsSkinAndBareSkinStaysThePhotos()
    {
        // messi5.jpg wears a short-sleeved red and blue shirt, his forearms bare. A sleeveless dress leaves his upper
        // arms and the top of his chest bare: the old shirt must not show there. A tee's own sleeves cover them; his bare forearms stay his.
        using var messi = await TryOnMessiAsync(HotPinkDress, Top);
        var (original, person, inDress, inTee) = (messi.Photo, messi.Person, messi.Results[0], messi.Results[1]);
        var upperArms = new[] { (Body.LeftShoulder, Body.LeftElbow), (Body.RightShoulder, Body.RightElbow) }
            .SelectMany(arm => new[] { 0.45f, 0.55f, 0.65f }.Select(t => Along(person[arm.Item1], person[arm.Item2], t)))
            // Left out: the points the dress itself covers (changed, and not to skin).
            .Where(point => !Changed(inDress, original, point) || LooksLikeSkin(inDress.GetPixel((int)point.X, (int)point.Y)))
            .ToList();
        Assert.True(upperArms.Count >= 4, "the dress should leave the upper arms bare");
        Assert.True(upperArms.Count(point => !LooksLikeSkin(original.GetPixel((int)point.X, (int)point.Y))) >= upperArms.Count * 0.7,
            "in the photo the upper arms are in the shirt's sleeves");
        Assert.True(upperArms.Count(point => LooksLikeSkin(inDress.GetPixel((int)point.X, (int)point.Y))) >= upperArms.Count * 0.8,
            "in the dress the upper arms should be skin, not the old sleeves");
        // The dress's neck opening dips below his collar: the old shirt there (the sponsor's print) becomes his chest.
        var (column, opening) = ((int)person.ShoulderCentre.X, new List<int>());
        for (var y = (int)Math.Ceiling(person.ChinY) + 1; y < person.HipCentre.Y && !LooksLikeHotPink(inDress.GetPixel(column, y)); y++)
        {
            if (Changed(inDress, original, new SKPoint(column, y)))
            {
                opening.Add(y);
            }
        }

        Assert.True(opening.Count >= 0.06f * person.ShoulderWidth, $"the dress should open below the chin ({opening.Count} rows changed)");
        Assert.True(opening.Count(y => !LooksLikeSkin(original.GetPixel(column, y))) >= opening.Count * 0.7, "in the photo the shirt is there");
        Assert.True(opening.Count(y => LooksLikeSkin(inDress.GetPixel(column, y))) >= opening.Count * 0.75,
            $"in the dress's opening the shirt should be skin: {string.Join(", ", opening.Select(y => $"{y}:{inDress.GetPixel(column, y)}"))} at x={column}");
        foreach (var (elbow, wrist) in new[] { (Body.LeftElbow, Body.LeftWrist), (Body.RightElbow, Body.RightWrist) })
        {
            var forearm = Along(person[elbow], person[wrist], 0.5f);
            Assert.True(original.GetPixel((int)forearm.X, (int)forearm.Y) == inTee.GetPixel((int)forearm.X, (int)forearm.Y),
                $"the bare forearm at {forearm} should stay the photo's under a tee");
        }
    }

    [Fact]
    public async Task ATeeCoversTheOldShirtUpToTheTopOfTheShouldersAndASleevelessDressLeavesThemSkin()
    {
        // messi5.jpg's arms are raised: the tops of his shoulders stand well above the joints, in his shirt's blue. A tee
        // covers them to their outline; a sleeveless dress leaves them bare, so there the old shirt becomes skin.
        using var messi = await TryOnMessiAsync(Top, HotPinkDress);
        var (original, person, inTee, inDress) = (messi.Photo, messi.Person, messi.Results[0], messi.Results[1]);
        using var tops = BodyRegions.ShoulderTops(person);
        var shirtBlue = PixelsIn(tops, original, (x, y, colour) => !person.Head.Contains(x, y) && LooksLikeShirtBlue(colour));

        Assert.True(shirtBlue.Count >= 0.02 * person.ShoulderWidth * person.ShoulderWidth,
            $"in the photo the shirt's blue shows on the tops of the shoulders ({shirtBlue.Count} pixels)");
        var stillBlueInTee = shirtBlue.Count(p => LooksLikeShirtBlue(inTee.GetPixel(p.X, p.Y)));
        Assert.True(stillBlueInTee <= shirtBlue.Count * 0.1, $"the tee should cover the old shirt there: {stillBlueInTee} of {shirtBlue.Count} pixels still show it");
        var skinOrDress = shirtBlue.Count(p => LooksLikeSkin(inDress.GetPixel(p.X, p.Y)) || LooksLikeHotPink(inDress.GetPixel(p.X, p.Y)));
        Assert.True(skinOrDress >= shirtBlue.Count * 0.8, $"beside the dress the shoulders should be skin: {skinOrDress} of {shirtBlue.Count} pixels are skin or the dress");
    }

    [Fact]
    public async Task TrousersCoverTheOldShortsWhereTheyHangBetweenTheLegs()
    {
        // In messi5.jpg's lunge his red shorts hang loose from the kicking thigh, wider than a trouser leg drawn along
        // it: trousers cover them there too.
        using var messi = await TryOnMessiAsync(Trousers);
        var (original, person, output) = (messi.Photo, messi.Person, messi.Results[0]);
        using var hips = BodyRegions.HipsZone(person);
        var shortsRed = PixelsIn(hips, original, (_, y, colour) => y >= person.HipCentre.Y && LooksLikeShortsRed(colour));

        Assert.True(shortsRed.Count >= 0.05 * person.ShoulderWidth * person.ShoulderWidth,
            $"in the photo the shorts' red shows below the hips ({shortsRed.Count} pixels)");
        var stillRed = shortsRed.Count(p => LooksLikeShortsRed(output.GetPixel(p.X, p.Y)));
        Assert.True(stillRed <= shortsRed.Count * 0.1, $"the trousers should cover the old shorts: {stillRed} of {shortsRed.Count} pixels still show them");
    }

    private static bool LooksLikeShortsRed(SKColor colour) => colour.Red > colour.Green + 50 && colour.Red > colour.Blue + 30;

    private static GarmentInput HotPinkDress => new("dress", GarmentArtist.Draw(GarmentKind.Dress, SKColors.HotPink));

    /// <summary>messi5.jpg, its analysis and a quality try-on (seed 1) of each garment on it, in order.</summary>
    private async Task<MessiTryons> TryOnMessiAsync(params GarmentInput[] garments)
    {
        var photo = TestPhotos.MessiOrSkip();
        var original = SKBitmap.Decode(photo);
        var person = fixture.Models.Analyzer.Analyse(original.Copy(SKColorType.Rgba8888));
        var results = new List<SKBitmap>();
        foreach (var garment in garments)
        {
            var result = await _engine.RunAsync(new TryonRequest(photo, [garment], TryonMode.Quality, 1), new Progress<TryonProgress>(), Cancellation);
            results.Add(SKBitmap.Decode(result.Image));
        }

        return new MessiTryons(original, person, results);
    }

    /// <summary>The pixels of <paramref name="zone"/> whose position and colour in <paramref name="image"/> pass <paramref name="wanted"/>.</summary>
    private static List<(int X, int Y)> PixelsIn(OpenCvSharp.Mat zone, SKBitmap image, Func<int, int, SKColor, bool> wanted)
    {
        var pixels = new List<(int X, int Y)>();
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                if (zone.At<byte>(y, x) != 0 && wanted(x, y, image.GetPixel(x, y)))
                {
                    pixels.Add((x, y));
                }
            }
        }

        return pixels;
    }

    private sealed record MessiTryons(SKBitmap Photo, PersonAnalysis Person, IReadOnlyList<SKBitmap> Results) : IDisposable
    {
        public void Dispose()
        {
            Photo.Dispose();
            foreach (var result in Results)
            {
                result.Dispose();
            }
        }
    }

    private static bool LooksLikeShirtBlue(SKColor colour) => colour.Blue > colour.Red + 30 && colour.Blue > colour.Green + 30;

    private static SKPoint Along(SKPoint from, SKPoint to, float t) => new(from.X + ((to.X - from.X) * t), from.Y + ((to.Y - from.Y) * t));

    private static bool Changed(SKBitmap result, SKBitmap photo, SKPoint point) => result.GetPixel((int)point.X, (int)point.Y) != photo.GetPixel((int)point.X, (int)point.Y);

    // Skin in any light: red over green over blue, green a good share of red (the red sleeve has little, the blue one is bluer).
    private static bool LooksLikeSkin(SKColor colour) =>
        colour.Red > colour.Green && colour.Green > colour.Blue && colour.Green >= colour.Red * 0.45 && colour.Green <= colour.Red * 0.95;

    [Fact]
    public void AShirtCutOutOfItsWearerLeavesOutHisBareArmsAndHands()
    {
        // messi5.jpg's shirt has short sleeves; his forearms and hands are spread wide. The region a top covers on a
        // body runs down the whole arm, but what is cut out as the garment is the shirt alone.
        var shirt = fixture.Models.Garments.Read("upper", TestPhotos.MessiOrSkip());
        Assert.True(shirt.Worn, "the shirt is read as worn");
        foreach (var sleeve in new[] { shirt.SleeveLeft, shirt.SleeveRight })
        {
            Assert.NotNull(sleeve);
            // What lies along the sleeve's axis three times as far as its end, within its length of the axis, is arm, not shirt
            // (a worn sleeve's true end is a guess: the shirt itself reaches a little past it).
            var axis = sleeve.End - sleeve.Root;
            var along = new SKPoint(axis.X / sleeve.Length, axis.Y / sleeve.Length);
            var past = 0;
            for (var y = 0; y < shirt.Cutout.Height; y++)
            {
                for (var x = 0; x < shirt.Cutout.Width; x++)
                {
                    var (dx, dy) = (x - sleeve.Root.X, y - sleeve.Root.Y);
                    var t = (dx * along.X) + (dy * along.Y);
                    var side = Math.Abs((dx * along.Y) - (dy * along.X));
                    if (t > 3 * sleeve.Length && side < sleeve.Length && shirt.Cutout.GetPixel(x, y).Alpha >= 128)
                    {
                        past++;
                    }
                }
            }

            Assert.True(past <= 0, $"nothing of the cut-out should lie three sleeve lengths along the arm: {past} pixels do (sleeve {sleeve.Length:0} px from {sleeve.Root} to {sleeve.End}, cut-out {shirt.Cutout.Width}x{shirt.Cutout.Height})");
        }
    }

    [Fact]
    public void AStripedShirtCutOutOfItsWearerIsTurnedUprightByItsStripes()
    {
        // messi5.jpg lunges with his torso twisted: his shirt's stripes lean from the line between his shoulders and
        // hips. Turned upright by its stripes, the cut-out has them straight down (before: 14 degrees off).
        var shirt = fixture.Models.Garments.Read("upper", TestPhotos.MessiOrSkip());
        var cutout = shirt.Cutout;
        var (upper, lower) = ((int)(0.4f * cutout.Height), (int)(0.7f * cutout.Height));
        var shifts = new List<int>();
        var below = Boundaries(lower);
        foreach (var (x, redToBlue) in Boundaries(upper))
        {
            var matches = below.Where(boundary => boundary.RedToBlue == redToBlue).Select(boundary => boundary.X - x).ToList();
            if (matches.Count > 0)
            {
                shifts.Add(matches.MinBy(Math.Abs));
            }
        }

        Assert.True(shifts.Count >= 3, $"the shirt's stripes should be found: {shifts.Count} stripe edges");
        var lean = Math.Atan2(shifts.Order().ElementAt(shifts.Count / 2), lower - upper) * 180 / Math.PI;
        Assert.True(Math.Abs(lean) <= 5, $"the stripes should run straight down the cut-out: they lean {lean:0.0} degrees");

        // Where a row goes from a red stripe to a blue one or back, each stripe at least a few pixels wide, inside the shirt.
        List<(int X, bool RedToBlue)> Boundaries(int y)
        {
            var found = new List<(int X, bool RedToBlue)>();
            bool? last = null;
            var run = 0;
            for (var x = 0; x < cutout.Width; x++)
            {
                var pixel = cutout.GetPixel(x, y);
                bool? red = pixel.Alpha < 255 ? null : pixel.Red > pixel.Blue + 30 ? true : pixel.Blue > pixel.Red + 30 ? false : null;
                if (red is not { } isRed)
                {
                    continue;
                }

                if (last is { } wasRed && wasRed != isRed && run >= 4)
                {
                    found.Add((x, wasRed));
                    run = 0;
                }

                run = last == isRed ? run + 1 : 1;
                last = isRed;
            }

            return found;
        }
    }

    [Fact]
    public async Task ADrawnTeesNeckOpeningShowsSkinAndSoDoesAShirtCutOutOfAWearer()
    {
        // A drawn tee has a neckline of its own: the astronaut's suit inside its V becomes skin. The football shirt cut
        // out of messi5.jpg has a hole where his head was, not a neckline: it gets the neck opening the body's upper
        // region leaves, which becomes skin too (rather than the shirt's collar stretched up to her chin).
        var photo = TestPhotos.AstronautOrSkip();
        using var original = SKBitmap.Decode(photo);
        var person = fixture.Models.Analyzer.Analyse(original.Copy(SKColorType.Rgba8888));
        var teed = await _engine.RunAsync(new TryonRequest(photo, [Top], TryonMode.Quality, 1), new Progress<TryonProgress>(), Cancellation);
        var shirted = await _engine.RunAsync(
            new TryonRequest(photo, [new GarmentInput("upper", TestPhotos.MessiOrSkip())], TryonMode.Quality, 1), new Progress<TryonProgress>(), Cancellation);

        using var inTee = SKBitmap.Decode(teed.Image);
        using var inShirt = SKBitmap.Decode(shirted.Image);
        var column = (int)person.ShoulderCentre.X;
        Assert.True(LooksLikeSkin(inTee.GetPixel(column, FirstChangedBelowChin(inTee, original, person))), "the tee's opening should show skin where the suit was");
        Assert.True(LooksLikeSkin(inShirt.GetPixel(column, FirstChangedBelowChin(inShirt, original, person))), "the cut-out shirt's neck opening should show skin where the suit was");
    }

    /// <summary>The first row below the chin, down the body's middle, that the result changed, past its feathered edge.</summary>
    private static int FirstChangedBelowChin(SKBitmap result, SKBitmap photo, PersonAnalysis person)
    {
        var column = (int)person.ShoulderCentre.X;
        for (var y = (int)Math.Ceiling(person.ChinY) + 1; y < result.Height - 3; y++)
        {
            if (Changed(result, photo, new SKPoint(column, y)))
            {
                return y + 3;
            }
        }

        throw new Xunit.Sdk.XunitException("nothing changed below the chin");
    }

    [Fact]
    public void AStripedGarmentCarriedOverWiderOldClothesKeepsItsStripes()
    {
        // The astronaut's suit is wider than a shirt fitted to her shoulders: the shirt is carried over it. A striped
        // shirt must go on striped there, not smear the colour at its edge sideways in streaks, one colour per row.
        const int stripe = 12;
        var (photo, person, result, shirt) = OverTheSuit((canvas, area) => DrawStripes(canvas, area, stripe));
        using (photo)
        using (result)
        {
            // Each row beside the shirt's left edge that the shirt was carried over shows both of its colours.
            var (carried, striped) = (0, 0);
            for (var y = shirt.Top; y < shirt.Bottom; y++)
            {
                var (red, blue) = (0, 0);
                for (var x = shirt.Left - 1; x >= Math.Max(0, shirt.Left - (int)(0.3f * person.ShoulderWidth)); x--)
                {
                    var pixel = result.GetPixel(x, y);
                    if (pixel == photo.GetPixel(x, y))
                    {
                        continue;
                    }

                    red += pixel.Red > pixel.Blue + 40 ? 1 : 0;
                    blue += pixel.Blue > pixel.Red + 40 ? 1 : 0;
                }

                if (red + blue >= 3 * stripe)
                {
                    carried++;
                    striped += red >= stripe / 2 && blue >= stripe / 2 ? 1 : 0;
                }
            }

            Assert.True(carried >= shirt.Height / 4, $"the shirt should be carried over the suit beside it: {carried} of {shirt.Height} rows");
            Assert.True(striped >= 0.9 * carried, $"the rows it is carried over should show both stripes' colours: {striped} of {carried}");
        }
    }

    [Fact]
    public void AGarmentsOutlineDoesNotStayInsideItWhereItIsCarriedOverOldClothes()
    {
        // A drawn garment has a dark outline. Where the garment is carried on past its edge over the astronaut's wider
        // suit, the outline must go, not stay inside the garment as a line down its side.
        const int outline = 4;
        var (photo, person, result, shirt) = OverTheSuit((canvas, area) =>
        {
            using var fill = new SKPaint { Color = SKColors.Crimson };
            canvas.DrawRect(area, fill);
            using var edge = new SKPaint { Color = SKColors.Black, Style = SKPaintStyle.Stroke, StrokeWidth = 2 * outline };
            canvas.Save();
            canvas.ClipRect(area);
            canvas.DrawRect(area, edge);
            canvas.Restore();
        });
        using (photo)
        using (result)
        {
            var (carried, lined) = (0, 0);
            for (var y = shirt.Top + outline; y < shirt.Bottom - outline; y++)
            {
                var beside = shirt.Left - (int)(0.05f * person.ShoulderWidth);
                if (result.GetPixel(beside, y) == photo.GetPixel(beside, y))
                {
                    continue;
                }

                carried++;
                lined += Enumerable.Range(shirt.Left, outline).Any(x => result.GetPixel(x, y).Red < 100) ? 1 : 0;
            }

            Assert.True(carried >= shirt.Height / 4, $"the garment should be carried over the suit beside it: {carried} of {shirt.Height} rows");
            Assert.True(lined <= 0, $"no row where it is carried on should keep its outline: {lined} of {carried} do");
        }
    }

    [Fact]
    public void OldClothesShowingInAGarmentsNotchAreCoveredWithItsStripesRunningStraightOn()
    {
        // A striped shirt with a notch in its top edge (a cut-out's neck hole is one): the suit showing in the notch is
        // covered with the shirt, its stripes running straight up into it, not fanned out from the notch's corners.
        const int stripe = 12;
        var notch = SKRectI.Empty;
        bool RedAt(int x, SKRectI area) => ((x - area.Left) / stripe) % 2 == 0;
        var (photo, person, result, shirt) = OverTheSuit((canvas, area) =>
        {
            DrawStripes(canvas, area, stripe);
            var half = area.Width / 5;
            notch = new SKRectI(area.MidX - half, area.Top, area.MidX + half, area.Top + (area.Height / 5));
            using var eraser = new SKPaint { BlendMode = SKBlendMode.Clear };
            canvas.DrawRect(notch, eraser);
        });
        using (photo)
        using (result)
        {
            var (covered, straight) = (0, 0);
            for (var y = notch.Top; y < notch.Bottom; y++)
            {
                // Away from the stripes' own edges, where either colour is right.
                for (var x = notch.Left; x < notch.Right; x++)
                {
                    var pixel = result.GetPixel(x, y);
                    var inStripe = (x - shirt.Left) % stripe;
                    if (pixel == photo.GetPixel(x, y) || inStripe < 2 || inStripe >= stripe - 2)
                    {
                        continue;
                    }

                    var (red, blue) = (pixel.Red > pixel.Blue + 40, pixel.Blue > pixel.Red + 40);
                    covered++;
                    straight += (RedAt(x, shirt) ? red : blue) ? 1 : 0;
                }
            }

            Assert.True(covered >= notch.Width * notch.Height / 8, $"the suit in the notch should be covered: {covered} of {notch.Width * notch.Height} pixels");
            Assert.True(straight >= 0.9 * covered, $"the stripes should run straight on into the notch: {straight} of {covered} pixels are their column's stripe");
        }
    }

    /// <summary>Upright stripes <paramref name="stripe"/> pixels wide over the area, crimson first, then royal blue.</summary>
    private static void DrawStripes(SKCanvas canvas, SKRectI area, int stripe)
    {
        for (var x = area.Left; x < area.Right; x += stripe)
        {
            using var paint = new SKPaint { Color = ((x - area.Left) / stripe) % 2 == 0 ? SKColors.Crimson : SKColors.RoyalBlue };
            canvas.DrawRect(new SKRect(x, area.Top, Math.Min(x + stripe, area.Right), area.Bottom), paint);
        }
    }

    /// <summary>
    /// A shirt drawn by <paramref name="draw"/> over the astronaut's chest, narrower than her suit (six tenths of her
    /// shoulders), put on her: the photo, its analysis, the result and where the shirt was drawn.
    /// </summary>
    private (SKBitmap Photo, PersonAnalysis Person, SKBitmap Result, SKRectI Shirt) OverTheSuit(Action<SKCanvas, SKRectI> draw)
    {
        using var original = SKBitmap.Decode(TestPhotos.AstronautOrSkip());
        var photo = original.Copy(SKColorType.Rgba8888);
        var person = fixture.Models.Analyzer.Analyse(photo);
        var shirt = new SKRectI(
            (int)(person.ShoulderCentre.X - (0.3f * person.ShoulderWidth)), (int)(person.ShoulderCentre.Y + (0.2f * person.TorsoLength)),
            (int)(person.ShoulderCentre.X + (0.3f * person.ShoulderWidth)), (int)Math.Min(person.Height - 1, person.HipCentre.Y));
        var layer = new SKBitmap(new SKImageInfo(person.Width, person.Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        layer.Erase(SKColors.Transparent);
        using (var canvas = new SKCanvas(layer))
        {
            draw(canvas, shirt);
        }

        using var fitted = new FittedGarment("upper", layer);
        var (result, _) = TryonCompositor.Compose(photo, person, [fitted]);
        return (photo, person, result, shirt);
    }

    [Fact]
    public void AShirtCutOutOfAWearerWhoRaisedAnArmGoesOnLevel()
    {
        // A shirt cut out of someone who raised his right arm: its key points come from his pose, that side 13 degrees
        // higher, and the raised sleeve stands above that shoulder (drawn here as a plain cut-out with those points). On
        // the astronaut, whose shoulders are level, the shirt's shoulders are level too: before, its right shoulder rose
        // in a hump above her own (over the flag the person mask takes in beside her).
        using var photo = SKBitmap.Decode(TestPhotos.AstronautOrSkip());
        var person = fixture.Models.Analyzer.Analyse(photo.Copy(SKColorType.Rgba8888));
        var cutout = new SKBitmap(new SKImageInfo(300, 420, SKColorType.Rgba8888, SKAlphaType.Premul));
        cutout.Erase(SKColors.Transparent);
        using (var canvas = new SKCanvas(cutout))
        using (var fill = new SKPaint { Color = SKColors.SteelBlue })
        {
            canvas.DrawRect(new SKRect(10, 0, 290, 410), fill);
        }

        var rise = 180 * MathF.Tan(13 * MathF.PI / 180);
        SKPoint Tilted(float x, float y) => new(x, y + (rise * (x - 60) / 180));
        var raisedSleeve = new SleeveShape(Tilted(55, 70), 60, new SKPoint(25, 5), 40);
        var hangingSleeve = new SleeveShape(Tilted(245, 70), 60, Tilted(285, 130), 40);
        using var shirt = new GarmentAnalysis("upper", cutout,
            Tilted(120, 40), Tilted(180, 40), Tilted(150, 60), Tilted(60, 40), Tilted(240, 40), Tilted(62, 110), Tilted(238, 110),
            Tilted(64, 290), Tilted(236, 290), Tilted(60, 400), Tilted(240, 400), null, raisedSleeve, hangingSleeve, null, null) { Worn = true };

        using var fitted = GarmentFitter.Fit(person, shirt, new Random(1));
        var across = person[Body.LeftShoulder] - person[Body.RightShoulder];
        across = new SKPoint(across.X / across.Length, across.Y / across.Length);
        var down = new SKPoint(-across.Y, across.X);
        // How high the shirt reaches (up the body from her shoulder joints' line) at a band each side of her neck.
        var (rightTop, leftTop) = (float.MinValue, float.MinValue);
        for (var y = 0; y < fitted.Layer.Height; y++)
        {
            for (var x = 0; x < fitted.Layer.Width; x++)
            {
                var offset = new SKPoint(x, y) - person.ShoulderCentre;
                var side = ((offset.X * across.X) + (offset.Y * across.Y)) / person.ShoulderWidth;
                var up = -((offset.X * down.X) + (offset.Y * down.Y)) / person.ShoulderWidth;
                if (Math.Abs(Math.Abs(side) - 0.45f) > 0.05f || fitted.Layer.GetPixel(x, y).Alpha < 128)
                {
                    continue;
                }

                (rightTop, leftTop) = side < 0 ? (Math.Max(rightTop, up), leftTop) : (rightTop, Math.Max(leftTop, up));
            }
        }

        Assert.True(Math.Abs(rightTop - leftTop) <= 0.05f, $"the shirt's shoulders should be level on her: they reach {rightTop:0.00} and {leftTop:0.00} shoulder widths above her shoulder joints");
    }

    [Fact]
    public async Task TheSkinANecklineShowsIsShadedUnderTheChin()
    {
        // The tee's V on the astronaut is painted skin over her dark suit: darker right below her chin, where her head
        // shades it, than halfway down the V (before, one flat colour).
        var photo = TestPhotos.AstronautOrSkip();
        using var original = SKBitmap.Decode(photo);
        var person = fixture.Models.Analyzer.Analyse(original.Copy(SKColorType.Rgba8888));
        var result = await _engine.RunAsync(new TryonRequest(photo, [Top], TryonMode.Quality, 1), new Progress<TryonProgress>(), Cancellation);

        using var output = SKBitmap.Decode(result.Image);
        var column = (int)person.ShoulderCentre.X;
        var top = FirstChangedBelowChin(output, original, person);
        var bottom = Enumerable.Range(top, output.Height - top).First(y => !LooksLikeSkin(output.GetPixel(column, y)));
        Assert.True(bottom - top >= 10, $"the V should show skin for some rows: {bottom - top}");
        static float Brightness(SKColor colour) => (colour.Red + colour.Green + colour.Blue) / 3f;
        var (underChin, halfway) = (Brightness(output.GetPixel(column, top)), Brightness(output.GetPixel(column, (top + bottom) / 2)));
        Assert.True(underChin <= 0.9f * halfway, $"the skin right below the chin should be in shadow: {underChin:0} against {halfway:0} halfway down the V");
    }

    private static bool LooksLikeHotPink(SKColor colour) => colour.Red > 120 && colour.Blue > colour.Green + 30 && colour.Red > colour.Green + 60;

    [Fact]
    public async Task TheSameInputsAndSeedGiveTheSameBytesAndAnotherSeedDiffers()
    {
        var request = new TryonRequest(TestPhotos.MessiOrSkip(), [Top, Trousers], TryonMode.Fast, Seed: 42);

        var first = await _engine.RunAsync(request, new Progress<TryonProgress>(), Cancellation);
        var second = await _engine.RunAsync(request, new Progress<TryonProgress>(), Cancellation);
        var reseeded = await _engine.RunAsync(request with { Seed = 43 }, new Progress<TryonProgress>(), Cancellation);

        Assert.Equal(first.Image, second.Image);
        Assert.NotEqual(first.Image, reseeded.Image);
        Assert.Equal(2, first.GarmentRegions.Count);
    }

    [Fact]
    public async Task StagesAreReportedInOrderWithPreviews()
    {
        var stages = new List<TryonProgress>();
        var progress = new SynchronousProgress(stages.Add);

        await _engine.RunAsync(new TryonRequest(TestPhotos.AstronautOrSkip(), [Top], TryonMode.Fast, 7), progress, Cancellation);

        Assert.Equal(["validating", "detecting", "fitting", "compositing", "done"], stages.Select(stage => stage.Stage));
        Assert.Equal(stages.Select(stage => stage.Percent).Order(), stages.Select(stage => stage.Percent));
        var preview = stages.Single(stage => stage.Stage == "compositing").PreviewJpeg;
        using var previewBitmap = SKBitmap.Decode(preview);
        Assert.Equal(256, Math.Max(previewBitmap.Width, previewBitmap.Height));
    }

    [Fact]
    public async Task AStoredAnalysisIsUsedAsItIsNotRunAgain()
    {
        // The astronaut's analysis from upload, given with a photo in which nobody could be found: only an engine that
        // reuses the stored analysis (scaled to the photo) can dress it.
        using var astronaut = SKBitmap.Decode(TestPhotos.AstronautOrSkip());
        var stored = fixture.Models.Analyzer.Analyse(astronaut.Copy(SKColorType.Rgba8888));

        var result = await _engine.RunAsync(new TryonRequest(TestImages.Png(1024, 1024), [Top], TryonMode.Fast, 1, stored), new Progress<TryonProgress>(), Cancellation);

        Assert.Equal((768, 768), (result.Width, result.Height));
        Assert.Single(result.GarmentRegions);
    }

    [Fact]
    public async Task APhotoWithoutAPersonIsRefused()
    {
        var error = await Assert.ThrowsAsync<TryonFailedException>(() =>
            _engine.RunAsync(new TryonRequest(TestImages.Jpeg(640, 480), [Top], TryonMode.Fast, 1), new Progress<TryonProgress>(), Cancellation));

        Assert.Equal("no_person_detected", error.Code);
    }

    public static TheoryData<string, string, string> Refusals => new()
    {
        { "astronaut twice side by side", "upper", "multiple_people" },
        { "basketball1.png: two players", "upper", "multiple_people" },
        { "basketball1.png: the player turned away", "upper", "person_not_facing" },
        { "astronaut.png: no knees for trousers", "lower", "person_not_fully_visible" },
        { "astronaut.png: no knees for a dress", "dress", "person_not_fully_visible" },
        { "messi5.jpg cropped at the waist: no knees", "lower", "person_not_fully_visible" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task APhotoThatCannotBeDressedIsRefusedWithItsReason(string photo, string clothType, string code)
    {
        var garment = clothType switch { "lower" => Trousers, "dress" => Dress, _ => Top };

        var error = await Assert.ThrowsAsync<TryonFailedException>(() =>
            _engine.RunAsync(new TryonRequest(Photo(photo), [garment], TryonMode.Fast, 1), new Progress<TryonProgress>(), Cancellation));

        Assert.Equal(code, error.Code);
    }

    [Theory]
    [InlineData("messi5.jpg")]
    [InlineData("messi5.jpg mirrored")]
    [InlineData("basketball1.png: the player facing the camera")]
    public async Task AFrontalFullBodyPhotoTakesAnOutfit(string photo)
    {
        var result = await _engine.RunAsync(new TryonRequest(Photo(photo), [Top, Trousers], TryonMode.Fast, 1), new Progress<TryonProgress>(), Cancellation);

        Assert.Equal(2, result.GarmentRegions.Count);
    }

    [Theory]
    [InlineData("upper", "upper")]
    [InlineData("dress", "upper")]
    [InlineData("lower", "lower")]
    public async Task OnlyOneTopOneBottomBothOrOneDressAreAccepted(string first, string second)
    {
        var garment = GarmentArtist.Draw(GarmentKind.Tee, SKColors.Teal);

        var error = await Assert.ThrowsAsync<TryonFailedException>(() => _engine.RunAsync(
            new TryonRequest(TestImages.Jpeg(), [new(first, garment), new(second, garment)], TryonMode.Fast, 1), new Progress<TryonProgress>(), Cancellation));

        Assert.Equal("garment_combination_invalid", error.Code);
    }

    private static byte[] Photo(string name) => name switch
    {
        "astronaut twice side by side" => TestPhotos.Twice(TestPhotos.AstronautOrSkip()),
        "astronaut.png: no knees for trousers" or "astronaut.png: no knees for a dress" => TestPhotos.AstronautOrSkip(),
        "basketball1.png: two players" => TestPhotos.BasketballOrSkip(),
        "basketball1.png: the player turned away" => TestPhotos.Cropped(TestPhotos.BasketballOrSkip(), new SKRectI(380, 0, 640, 480)),
        "basketball1.png: the player facing the camera" => TestPhotos.Cropped(TestPhotos.BasketballOrSkip(), new SKRectI(0, 0, 300, 480)),
        "messi5.jpg" => TestPhotos.MessiOrSkip(),
        "messi5.jpg mirrored" => TestPhotos.Mirrored(TestPhotos.MessiOrSkip()),
        "messi5.jpg cropped at the waist: no knees" => TestPhotos.Cropped(TestPhotos.MessiOrSkip(), new SKRectI(0, 0, 548, 230)),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    /// <summary>Reports on the calling thread, so the order of stages is the order they happened in.</summary>
    private sealed class SynchronousProgress(Action<TryonProgress> report) : IProgress<TryonProgress>
    {
        public void Report(TryonProgress value) => report(value);
    }
}
