package io.echoack.client.merge;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.HdrHistogram.Histogram;

/**
 * The merged result as a PNG, in the style of {@code bench/run}'s chart (two panels, a title, grid lines, values
 * on a log scale where they span decades): each client's msgs/s as a bar, with the total over the union; below,
 * the merged latency by percentile, the x axis stretched towards the tail (90, 99, 99.9 ... evenly spaced) as
 * HdrHistogram's own plots do. Drawn with Java2D into an image, no window: it needs the {@code java.desktop}
 * module and a font, nothing else.
 */
public final class MergeChart {

    private static final int WIDTH = 1400;
    private static final int HEIGHT = 1000;
    private static final int LEFT = 110;
    private static final int RIGHT = 40;
    private static final Color BAR = new Color(0x4C72B0);
    private static final Color LINE = new Color(0xC44E52);
    private static final Color GRID = new Color(0xDDDDDD);
    /** Narrower bars than this get no name or value of their own: they would overlap. */
    private static final int MIN_LABELLED_SLOT = 40;

    private MergeChart() {
    }

    /** True when this Java runtime has the module the chart is drawn with (a jlinked one may lack it). */
    public static boolean available() {
        return ModuleLayer.boot().findModule("java.desktop").isPresent();
    }

    /** Draws {@code m} into a PNG at {@code file}. */
    public static void write(MergedRun m, Path file) throws IOException {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
            g.setColor(Color.BLACK);
            String title = String.format(Locale.ROOT, "echoack merge: %d clients, %.0f msgs/s in all over %.1f s "
                    + "(together %.0f%% of it)", m.clients().size(), m.msgsPerSecond(), m.unionSeconds(),
                    100 * m.overlapShare());
            center(g, title, WIDTH / 2, 32);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            bars(g, m.clients(), 60, 470);
            percentiles(g, m.latency(), 540, 950);
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        if (!ImageIO.write(image, "png", png)) {
            throw new IOException("no PNG writer in this Java runtime");
        }
        Files.write(file, png.toByteArray());
    }

    /** Msgs/s per client, one bar each, between {@code top} and {@code bottom}. */
    private static void bars(Graphics2D g, List<MergedRun.Client> clients, int top, int bottom) {
        double max = clients.stream().mapToDouble(c -> c.input().msgsPerSecond()).max().orElse(0);
        double scale = niceCeiling(max);
        int plotWidth = WIDTH - LEFT - RIGHT;
        axisLabel(g, "messages per second, each client (higher is better)", top, bottom);
        for (int i = 0; i <= 5; i++) {
            int y = bottom - (bottom - top) * i / 5;
            g.setColor(GRID);
            g.drawLine(LEFT, y, LEFT + plotWidth, y);
            g.setColor(Color.BLACK);
            right(g, number(scale * i / 5), LEFT - 8, y + 4);
        }
        int n = clients.size();
        double slot = (double) plotWidth / n;
        int barWidth = (int) Math.max(2, Math.min(120, slot * 0.7));
        for (int i = 0; i < n; i++) {
            double rate = clients.get(i).input().msgsPerSecond();
            int height = scale > 0 ? (int) Math.round((bottom - top) * rate / scale) : 0;
            int x = (int) (LEFT + slot * i + (slot - barWidth) / 2);
            g.setColor(BAR);
            g.fillRect(x, bottom - height, barWidth, height);
            g.setColor(Color.BLACK);
            if (slot >= MIN_LABELLED_SLOT) {
                center(g, number(rate), x + barWidth / 2, bottom - height - 4);
                center(g, cut(g, clients.get(i).name(), (int) slot - 4), x + barWidth / 2, bottom + 16);
            }
        }
        g.drawLine(LEFT, bottom, LEFT + plotWidth, bottom);
        if (slot < MIN_LABELLED_SLOT) {
            center(g, n + " clients, in the order given (names and rates: the table)", LEFT + plotWidth / 2,
                    bottom + 16);
        }
    }

    /** Latency by percentile, x = -log10(1 - p): 0 for p0, 1 for p90, 2 for p99 ... */
    private static void percentiles(Graphics2D g, Histogram latency, int top, int bottom) {
        int plotWidth = WIDTH - LEFT - RIGHT;
        axisLabel(g, "latency, us, all clients (log scale, lower is better)", top, bottom);
        long count = latency.getTotalCount();
        if (count == 0) {
            center(g, "no replies: no latency", LEFT + plotWidth / 2, (top + bottom) / 2);
            return;
        }
        int decades = (int) Math.max(1, Math.min(6, Math.ceil(Math.log10(count))));
        double minUs = Math.max(1, latency.getMinValue() / 1000.0);
        double maxUs = Math.max(minUs * 10, latency.getMaxValue() / 1000.0);
        double low = Math.floor(Math.log10(minUs));
        double high = Math.ceil(Math.log10(maxUs));
        for (double d = low; d <= high; d++) {
            int y = (int) (bottom - (bottom - top) * (d - low) / (high - low));
            g.setColor(GRID);
            g.drawLine(LEFT, y, LEFT + plotWidth, y);
            g.setColor(Color.BLACK);
            right(g, number(Math.pow(10, d)), LEFT - 8, y + 4);
        }
        for (int d = 0; d <= decades; d++) {
            int x = LEFT + plotWidth * d / decades;
            g.setColor(GRID);
            g.drawLine(x, top, x, bottom);
            g.setColor(Color.BLACK);
            center(g, d == 0 ? "p0" : "p" + percentileName(d), x, bottom + 16);
        }
        Path2D.Double curve = new Path2D.Double();
        int steps = 400;
        for (int i = 0; i <= steps; i++) {
            double x = (double) decades * i / steps;
            double percentile = 100 * (1 - Math.pow(10, -x));
            double us = Math.max(minUs, latency.getValueAtPercentile(Math.min(100, percentile)) / 1000.0);
            double px = LEFT + plotWidth * x / decades;
            double py = bottom - (bottom - top) * (Math.log10(us) - low) / (high - low);
            if (i == 0) {
                curve.moveTo(px, py);
            } else {
                curve.lineTo(px, py);
            }
        }
        g.setColor(LINE);
        g.setStroke(new BasicStroke(2.5f));
        g.draw(curve);
        g.setStroke(new BasicStroke(1f));
        g.setColor(Color.BLACK);
        g.drawLine(LEFT, bottom, LEFT + plotWidth, bottom);
        String note = String.format(Locale.ROOT, "%d replies; p50 %s us, p99 %s us, max %s us", count,
                number(latency.getValueAtPercentile(50) / 1000.0), number(latency.getValueAtPercentile(99) / 1000.0),
                number(latency.getMaxValue() / 1000.0));
        g.drawString(note, LEFT + 10, top + 16);
    }

    /** 1 -> 90, 2 -> 99, 3 -> 99.9 ... */
    private static String percentileName(int nines) {
        return nines == 1 ? "90" : "99" + (nines > 2 ? "." + "9".repeat(nines - 2) : "");
    }

    private static void axisLabel(Graphics2D g, String text, int top, int bottom) {
        Graphics2D rotated = (Graphics2D) g.create();
        try {
            rotated.rotate(-Math.PI / 2);
            FontMetrics fm = rotated.getFontMetrics();
            rotated.drawString(text, -(top + bottom) / 2 - fm.stringWidth(text) / 2, 22);
        } finally {
            rotated.dispose();
        }
    }

    private static double niceCeiling(double value) {
        if (value <= 0) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(value)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * magnitude >= value) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static String number(double value) {
        if (value >= 1e6) {
            return String.format(Locale.ROOT, "%.2fM", value / 1e6);
        }
        if (value >= 1e4) {
            return String.format(Locale.ROOT, "%.1fk", value / 1e3);
        }
        return value == Math.rint(value) ? String.format(Locale.ROOT, "%.0f", value)
                : String.format(Locale.ROOT, "%.1f", value);
    }

    private static String cut(Graphics2D g, String text, int width) {
        FontMetrics fm = g.getFontMetrics();
        if (fm.stringWidth(text) <= width) {
            return text;
        }
        String cut = text;
        while (cut.length() > 1 && fm.stringWidth(cut + "...") > width) {
            cut = cut.substring(0, cut.length() - 1);
        }
        return cut + "...";
    }

    private static void center(Graphics2D g, String text, int x, int y) {
        g.drawString(text, x - g.getFontMetrics().stringWidth(text) / 2, y);
    }

    private static void right(Graphics2D g, String text, int x, int y) {
        g.drawString(text, x - g.getFontMetrics().stringWidth(text), y);
    }
}
