import { definePlugin } from '../../../src/plugins/index.js';
import { EXIF_FIELDS, exifDetails, formatBias, formatValue } from './exif-fields.js';
import { exifGroup } from './exif-source.js';

/** The plugin's name, also its metadata namespace (`photos.plugin_data -> 'exif-details'`). */
export const EXIF_DETAILS = 'exif-details';

/** One line of the panel: a translated label and a display value (raw text, escaped by the theme). */
export interface ExifDetailItem {
  key: string;
  label: string;
  value: string;
}

/**
 * Camera settings read from EXIF at import: lens maker and range, 35 mm equivalent focal
 * length, exposure program and mode, exposure compensation, metering, flash and white balance.
 * Typed, validated, public and (most of them) searchable. Photo pages show them in the theme's
 * details panel; `{{> exif-details/panel}}` renders them as a block where a theme wants one.
 */
export default definePlugin({
  name: EXIF_DETAILS,
  description: 'Camera settings from EXIF: lens, 35 mm focal length, exposure program, flash, white balance, metering.',
  metadataFields: EXIF_FIELDS,

  views: {
    partials: 'views/partials', // {{> exif-details/panel}}
    helpers: { ev: (value: unknown) => formatBias(value) }, // {{exif-details:ev 0.7}} → +0.7 EV
  },

  hooks(h) {
    h.on('photo.metadata', async (metadata, file) => {
      const values = exifDetails(await exifGroup(metadata, file));
      if (Object.keys(values).length === 0) return metadata;
      return { ...metadata, plugins: { ...metadata.plugins, [EXIF_DETAILS]: { ...metadata.plugins[EXIF_DETAILS], ...values } } };
    });

    // View models carry public metadata only (core filters it), so whatever is here may be shown.
    h.on('photo.viewModel', (view) => {
      const items: ExifDetailItem[] = [];
      for (const field of EXIF_FIELDS) {
        const value = view.metadata[field.key];
        if (value === undefined || value === null || value === '') continue;
        items.push({ key: field.key, label: field.label, value: formatValue(field.key, value) });
      }
      if (items.length === 0) return view;
      return { ...view, extensions: { ...view.extensions, [EXIF_DETAILS]: { items } } };
    });
  },
});
