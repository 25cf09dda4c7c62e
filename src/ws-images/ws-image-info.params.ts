/**
 * The descriptive parameters Piwigo's pwg.images.setInfo and pwg.images.add share, in Piwigo's
 * order (reflection.getMethodDetails lists them in this order).
 */
export const IMAGE_INFO_PARAMS = {
  name: { default: null },
  author: { default: null },
  date_creation: { default: null },
  comment: { default: null },
  categories: { default: null },
  tag_ids: { default: null },
} as const;
