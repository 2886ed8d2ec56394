using SkiaSharp;

namespace WearIt.TryonService.Engine.Vision;

/// <summary>BlazePose landmark indices (the subject's left and right).</summary>
public static class Body
{
    public const int Nose = 0;
    public const int LeftEar = 7;
    public const int RightEar = 8;
    public const int MouthLeft = 9;
    public const int MouthRight = 10;
    public const int LeftShoulder = 11;
    public const int RightShoulder = 12;
    public const int LeftElbow = 13;
    public const int RightElbow = 14;
    public const int LeftWrist = 15;
    public const int RightWrist = 16;
    public const int LeftPinky = 17;
    public const int RightPinky = 18;
    public const int LeftIndex = 19;
    public const int RightIndex = 20;
    public const int LeftThumb = 21;
    public const int RightThumb = 22;
    public const int LeftHip = 23;
    public const int RightHip = 24;
    public const int LeftKnee = 25;
    public const int RightKnee = 26;
    public const int LeftAnkle = 27;
    public const int RightAnkle = 28;
}

/// <summary>
/// What is known about the person in one body photo, in the analysed photo's pixels: the 33 landmarks, the face box,
/// the person mask and the three regions an upper, a lower and a full-length garment may cover (masks, 0 or 255,
/// row by row, <see cref="Width"/> x <see cref="Height"/>).
/// </summary>
public sealed record PersonAnalysis(
    int Width,
    int Height,
    IReadOnlyList<Landmark> Landmarks,
    float PoseFlag,
    SKRect Face,
    byte[] PersonMask,
    byte[] UpperRegion,
    byte[] LowerRegion,
    byte[] FullRegion,
    float ChestWidth = 0)
{
    public SKPoint this[int landmark] => Landmarks[landmark].Point;

    public SKPoint ShoulderCentre => Mid(this[Body.LeftShoulder], this[Body.RightShoulder]);

    public SKPoint HipCentre => Mid(this[Body.LeftHip], this[Body.RightHip]);

    /// <summary>
    /// The width garments are sized to: the distance between the shoulder joints, widened where the person mask shows a
    /// much broader chest (bulky clothes, and photos where BlazePose puts the shoulders too close: astronaut.png's suit
    /// gets 154 px between joints and a 320 px chest with the arms). With arms at the sides the chest run is about 1.5x
    /// the joints' distance, so 0.7 of it leaves a normal body as it is; the widening stops at 1.6x.
    /// </summary>
    public float ShoulderWidth
    {
        get
        {
            var joints = SKPoint.Distance(this[Body.LeftShoulder], this[Body.RightShoulder]);
            return Math.Clamp(0.7f * ChestWidth, joints, 1.6f * joints);
        }
    }

    public float TorsoLength => SKPoint.Distance(ShoulderCentre, HipCentre);

    /// <summary>
    /// The torso length tops are sized and placed by: the landmarks' own, or longer where the (mask-widened) shoulders
    /// say the body is bigger than the landmarks drew it. A frontal body's shoulders are 0.63-0.66 of its torso
    /// (BlazePose on real photos here); on a photo cut at the waist the model squeezes the hips up (astronaut.png's
    /// sit at 0.7 of the frame, where her suit goes on past the bottom), and tops ended at her chest.
    /// </summary>
    public float TopTorsoLength => Math.Max(TorsoLength, ShoulderWidth / 0.66f);

    /// <summary>The hips' centre at <see cref="TopTorsoLength"/> down the body's axis.</summary>
    public SKPoint TopHipCentre
    {
        get
        {
            var axis = HipCentre - ShoulderCentre;
            var scale = TorsoLength < 1e-3f ? 1 : TopTorsoLength / TorsoLength;
            return ShoulderCentre + new SKPoint(axis.X * scale, axis.Y * scale);
        }
    }

    /// <summary>The person mask's run through the body's centre line, 0.3 of the torso below the shoulders.</summary>
    public static float MeasureChest(IReadOnlyList<Landmark> landmarks, byte[] mask, int width, int height)
    {
        var shoulders = Mid(landmarks[Body.LeftShoulder].Point, landmarks[Body.RightShoulder].Point);
        var hips = Mid(landmarks[Body.LeftHip].Point, landmarks[Body.RightHip].Point);
        var chest = shoulders + new SKPoint((hips.X - shoulders.X) * 0.3f, (hips.Y - shoulders.Y) * 0.3f);
        var (x0, y) = ((int)Math.Round(chest.X), (int)Math.Round(chest.Y));
        if (y < 0 || y >= height || x0 < 0 || x0 >= width || mask[(y * width) + x0] < 128)
        {
            return 0;
        }

        var (left, right) = (x0, x0);
        while (left > 0 && mask[(y * width) + left - 1] >= 128)
        {
            left--;
        }

        while (right < width - 1 && mask[(y * width) + right + 1] >= 128)
        {
            right++;
        }

        return right - left + 1;
    }

    /// <summary>
    /// The chin: 0.35 of the face box below it (BlazeFace draws it from the brows to the mouth on a frontal face), or
    /// higher where the landmarks put the mouth closer (a bowed head, whose box reaches down past the chin: the chin is
    /// about 1.2 times the nose-to-mouth drop below the mouth, measured on astronaut.png);
    /// never inside the face box, which stays untouched, nor within a tenth of it (the garment's feathered edge).
    /// </summary>
    public float ChinY
    {
        get
        {
            var fromBox = Face.Bottom + (Face.Height * 0.35f);
            var (nose, left, right) = (Landmarks[Body.Nose], Landmarks[Body.MouthLeft], Landmarks[Body.MouthRight]);
            if (Math.Min(nose.Visibility, Math.Min(left.Visibility, right.Visibility)) < 0.5f)
            {
                return fromBox;
            }

            var mouth = (left.Y + right.Y) / 2;
            var drop = mouth - nose.Y;
            return drop <= 0 ? fromBox : Math.Max(Face.Bottom + (Face.Height * 0.1f), Math.Min(fromBox, mouth + (1.2f * drop)));
        }
    }

    /// <summary>
    /// The head and hair, which no garment may cover: the face box's columns widened by a third on each side (ears and
    /// hair), from the top of the photo down to the chin. A column rather than whole rows, so a bowed head does not
    /// keep a garment off the shoulders beside it (messi5.jpg's chin is below his shoulder joints).
    /// </summary>
    public SKRect Head => new(Face.Left - (Face.Width * 0.35f), 0, Face.Right + (Face.Width * 0.35f), ChinY);

    /// <summary>The region a garment of this cloth type may cover.</summary>
    public byte[] RegionFor(string clothType) => clothType switch
    {
        "upper" => UpperRegion,
        "lower" => LowerRegion,
        _ => FullRegion,
    };

    /// <summary>
    /// The region a garment of this cloth type covers; a bottom that hangs free (a skirt) covers the pelvis and the thighs
    /// only, where the lower and the full-length regions meet, never the shins.
    /// </summary>
    public byte[] RegionFor(string clothType, bool hangsFree)
    {
        if (clothType != "lower" || !hangsFree)
        {
            return RegionFor(clothType);
        }

        var region = new byte[LowerRegion.Length];
        for (var i = 0; i < region.Length; i++)
        {
            region[i] = Math.Min(LowerRegion[i], FullRegion[i]);
        }

        return region;
    }

    public static SKPoint Mid(SKPoint a, SKPoint b) => new((a.X + b.X) / 2, (a.Y + b.Y) / 2);
}
