-- AlterTable
ALTER TABLE "FulfillmentOrderRecord" ADD COLUMN     "holdReason" TEXT;

-- Rows written before: the reason code from the English text they were written with
-- ("<label>" or "<label>: <note>"), as the queue's filter read it until now.
UPDATE "FulfillmentOrderRecord" SET "holdReason" = CASE
    WHEN "reason" = 'Awaiting payment' OR "reason" LIKE 'Awaiting payment: %' THEN 'AWAITING_PAYMENT'
    WHEN "reason" = 'Awaiting return items' OR "reason" LIKE 'Awaiting return items: %' THEN 'AWAITING_RETURN_ITEMS'
    WHEN "reason" = 'High risk of fraud' OR "reason" LIKE 'High risk of fraud: %' THEN 'HIGH_RISK_OF_FRAUD'
    WHEN "reason" = 'Incorrect address' OR "reason" LIKE 'Incorrect address: %' THEN 'INCORRECT_ADDRESS'
    WHEN "reason" = 'Inventory out of stock' OR "reason" LIKE 'Inventory out of stock: %' THEN 'INVENTORY_OUT_OF_STOCK'
    WHEN "reason" = 'Post-purchase cross-sell' OR "reason" LIKE 'Post-purchase cross-sell: %' THEN 'ONLINE_STORE_POST_PURCHASE_CROSS_SELL'
    WHEN "reason" = 'Other' OR "reason" LIKE 'Other: %' THEN 'OTHER'
    WHEN "reason" = 'Unknown delivery date' OR "reason" LIKE 'Unknown delivery date: %' THEN 'UNKNOWN_DELIVERY_DATE'
  END
WHERE "outcome" <> 'needs_attention' AND "reason" IS NOT NULL;
